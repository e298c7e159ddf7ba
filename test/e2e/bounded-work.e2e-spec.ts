import {
  type PricePointInput,
  PartitionChangeRepository,
  QuoteRepository,
  SeriesExtentRepository,
  RollupRepository,
  SeriesWriter,
  TimeSeriesRepository,
} from '@market/cassandra';
import { parseTimeZone } from '@market/domain';
import { MetricsRegistry } from '@market/observability';
import { type RunningApi, startApi } from '../support/api-app';
import { sessionMinutes } from '../support/seed';

const UTC = parseTimeZone('UTC');

/**
 * SPEC §4, bounded work: a range read is clamped to the series' extent (kept by the series
 * writer) and walks at most RANGE_MAX_EMPTY_BUCKETS empty buckets, so any span answers, and
 * "the last 30 bars" since long ago costs one bucket read. Work is counted in statements run
 * (the Cassandra statement metrics), never in time.
 */

const MAX_EMPTY_BUCKETS = 6;

interface PageBody {
  from: string;
  to: string;
  items: Array<{ ts: string; price: string }>;
  next_page_token: string | null;
}

describe('bounded work per range request (real Cassandra)', () => {
  let api: RunningApi;
  // Two sessions in August 2025 and one in September: the newest 30 are the last half hour of 2025-09-02.
  const aapl = sessionMinutes(
    ['2025-08-01', '2025-08-04', '2025-09-02'],
    (index) => `${(180 + index / 100).toFixed(2)}`,
  );
  // Bars far apart: January 2020 and August 2025, with 66 empty months between them.
  const sparse: PricePointInput[] = [
    { ts: new Date('2020-01-15T00:00:00Z'), price: '10.00', sourceId: 'test' },
    { ts: new Date('2020-01-16T00:00:00Z'), price: '10.50', sourceId: 'test' },
    { ts: new Date('2025-08-15T00:00:00Z'), price: '20.00', sourceId: 'test' },
  ];

  /** Statements run so far, by name, from the API's own metrics registry. */
  async function statementCounts(): Promise<Map<string, number>> {
    const metric = api.app.get(MetricsRegistry).getSingleMetric('cassandra_request_duration_seconds');
    const counts = new Map<string, number>();
    for (const value of (await metric?.get())?.values ?? []) {
      // A histogram's values carry the series they belong to (_bucket, _sum, _count).
      if ((value as { metricName?: string }).metricName !== 'cassandra_request_duration_seconds_count') continue;
      counts.set(String(value.labels.statement), value.value);
    }
    return counts;
  }

  /**
   * The time-series and extent statements a request ran, by name (those it ran none of are
   * left out). The catalog lookup is left out too: its cache decides whether it runs.
   */
  async function statementsOf(run: () => Promise<unknown>): Promise<Record<string, number>> {
    const before = await statementCounts();
    await run();
    const ran: Record<string, number> = {};
    for (const [name, count] of await statementCounts()) {
      const delta = count - (before.get(name) ?? 0);
      if (delta > 0 && /^(series_extent|asset_timeseries)\./.test(name)) ran[name] = delta;
    }
    return ran;
  }

  beforeAll(async () => {
    api = await startApi('e2e_bounded', { RANGE_MAX_EMPTY_BUCKETS: String(MAX_EMPTY_BUCKETS) });
    const writer = new SeriesWriter(
      api.app.get(TimeSeriesRepository),
      api.app.get(QuoteRepository),
      api.app.get(SeriesExtentRepository),
      api.app.get(RollupRepository),
      { batchRows: 100, concurrency: 4 },
      api.app.get(PartitionChangeRepository),
    );
    await api.keyspace.admin.execute(
      "INSERT INTO assets (asset_id, symbol, name, meta) VALUES ('AAPL', 'AAPL', 'Apple', {'interval': '1m'})",
    );
    await api.keyspace.admin.execute(
      "INSERT INTO assets (asset_id, symbol, name, meta) VALUES ('SPARSE', 'SPARSE', 'Sparse', {'interval': '1d'})",
    );
    // Out of order on purpose: September first, then August; the extent still covers both.
    await writer.write('asset', 'AAPL', 'test', aapl.slice(780), UTC);
    await writer.write('asset', 'AAPL', 'test', aapl.slice(0, 780), UTC);
    await writer.write('asset', 'SPARSE', 'test', sparse, UTC);
  });

  afterAll(async () => {
    await api.close();
  });

  const newest30 = () =>
    aapl
      .slice(-30)
      .reverse()
      .map((bar) => bar.ts.toISOString());

  it('answers "the last 30 bars" since an old from with 200 and exactly the newest 30, reading one bucket', async () => {
    let body: PageBody | undefined;
    const ran = await statementsOf(async () => {
      body = (await api.http.get('/api/v1/data/AAPL?from=2025-08-01&sort=desc&limit=30').expect(200)).body as PageBody;
    });
    expect(body?.items.map((item) => item.ts)).toEqual(newest30());
    expect(body?.items.at(-1)?.price).toBe(aapl.at(-30)?.price);
    expect(ran).toEqual({ 'series_extent.get': 1, 'asset_timeseries.select_slice_desc': 1 });
  });

  it('answers "the last 30 bars" with no from or to at all, and an open range from the first bar', async () => {
    const last30 = (await api.http.get('/api/v1/data/AAPL?sort=desc&limit=30').expect(200)).body as PageBody;
    expect(last30.items.map((item) => item.ts)).toEqual(newest30());
    expect(last30.from).toBe('0001-01-01T00:00:00.000Z');
    const first = (await api.http.get('/api/v1/data/AAPL?limit=2').expect(200)).body as PageBody;
    expect(first.items.map((item) => item.ts)).toEqual(aapl.slice(0, 2).map((bar) => bar.ts.toISOString()));
  });

  it('answers a range far outside the extent with 200 and no rows, reading no bucket', async () => {
    for (const sort of ['asc', 'desc']) {
      let body: PageBody | undefined;
      const ran = await statementsOf(async () => {
        body = (await api.http.get(`/api/v1/data/AAPL?from=1990-01-01&to=2019-12-31&sort=${sort}`).expect(200))
          .body as PageBody;
      });
      expect(body).toMatchObject({ items: [], next_page_token: null });
      expect(ran).toEqual({ 'series_extent.get': 1 });
    }
  });

  it('walks at most RANGE_MAX_EMPTY_BUCKETS empty buckets per request, and the tokens still reach every row', async () => {
    let first: PageBody | undefined;
    const ran = await statementsOf(async () => {
      first = (await api.http.get('/api/v1/data/SPARSE?from=2020-01-16T00:00:00.001Z&limit=10').expect(200))
        .body as PageBody;
    });
    // 2020-01 (after the last bar in it) and five more empty months: six empty reads, then a token.
    expect(first?.items).toEqual([]);
    expect(first?.next_page_token).toEqual(expect.any(String));
    expect(ran).toEqual({ 'series_extent.get': 1, 'asset_timeseries.select_slice_asc': MAX_EMPTY_BUCKETS });
    const rows: string[] = [];
    let token = first?.next_page_token ?? null;
    let pages = 1;
    while (token !== null && pages < 50) {
      const page = (
        await api.http
          .get('/api/v1/data/SPARSE')
          .query({ from: '2020-01-16T00:00:00.001Z', limit: 10, page_token: token })
          .expect(200)
      ).body as PageBody;
      rows.push(...page.items.map((item) => item.price));
      token = page.next_page_token;
      pages += 1;
    }
    expect(rows).toEqual(['20.00']);
    // 67 months from 2020-01 to 2025-08, at most six empty ones per page.
    expect(pages).toBe(Math.ceil(67 / MAX_EMPTY_BUCKETS));
  });

  it('reads a span of centuries as any other range, newest first', async () => {
    const prices: string[] = [];
    let token: string | null = null;
    let pages = 0;
    do {
      const query: Record<string, string | number> = { from: '1000-01-01', to: '9999-12-31', sort: 'desc', limit: 2 };
      if (token !== null) query.page_token = token;
      const page = (await api.http.get('/api/v1/data/SPARSE').query(query).expect(200)).body as PageBody;
      prices.push(...page.items.map((item) => item.price));
      token = page.next_page_token;
      pages += 1;
    } while (token !== null && pages < 50);
    expect(prices).toEqual(['20.00', '10.50', '10.00']);
    expect(pages).toBeLessThanOrEqual(Math.ceil(67 / MAX_EMPTY_BUCKETS) + 1);
  });
});
