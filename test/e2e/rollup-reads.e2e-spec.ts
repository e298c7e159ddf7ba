import {
  type BarValues,
  CatalogRepository,
  PartitionChangeRepository,
  QuoteRepository,
  RollupRepository,
  SeriesExtentRepository,
  SeriesWriter,
  TimeSeriesRepository,
} from '@market/cassandra';
import { parseTimeZone } from '@market/domain';
import { MetricsRegistry } from '@market/observability';
import { type RunningApi, startApi } from '../support/api-app';

const SERIES = 'ROLL';
const HOUR = 3_600_000;

// Hourly bars Oct 2024 - Jan 2025 (New York's DST end, a new year), skipping every seventh
// day and some hours; null opens and volumes now and then.
const BARS: BarValues[] = [];
for (let ms = Date.parse('2024-10-01T00:00:00Z'); ms < Date.parse('2025-02-01T00:00:00Z'); ms += HOUR) {
  const index = (ms - Date.parse('2024-10-01T00:00:00Z')) / HOUR;
  if (Math.floor(index / 24) % 7 === 3 || index % 5 === 2) continue;
  BARS.push({
    ts: new Date(ms),
    price: `${100 + ((index * 37) % 211) / 4}`,
    open: index % 11 === 0 ? null : `${100 + ((index * 53) % 199) / 4}`,
    high: `${160 + (index % 13)}.5`,
    low: `${90 - (index % 17)}.25`,
    volume: index % 9 === 0 ? null : index * 10,
  });
}

interface BarPage {
  items: unknown[];
  next_page_token: string | null;
}

/**
 * 1d/1w/1mo reads come from the daily rollups the writer keeps: every walk (tokens followed
 * to the end, both orders, several limits and ranges) equals the same walk served by the
 * on-the-fly aggregation of base bars (the rollup tables emptied), and reads no base row.
 */
describe('calendar timeframes served from daily rollups (real Cassandra)', () => {
  let api: RunningApi;

  async function statementCounts(): Promise<Map<string, number>> {
    const metric = api.app.get(MetricsRegistry).getSingleMetric('cassandra_request_duration_seconds');
    const counts = new Map<string, number>();
    for (const value of (await metric?.get())?.values ?? []) {
      if ((value as { metricName?: string }).metricName !== 'cassandra_request_duration_seconds_count') continue;
      counts.set(String(value.labels.statement), value.value);
    }
    return counts;
  }

  async function walk(query: Record<string, string | number>): Promise<unknown[]> {
    const items: unknown[] = [];
    let token: string | null = null;
    for (let pages = 0; pages < 500; pages += 1) {
      const response = await api.http
        .get(`/api/v1/data/${SERIES}`)
        .query({ ...query, ...(token === null ? {} : { page_token: token }) });
      expect(response.status).toBe(200);
      const body = response.body as BarPage;
      expect(body.items.length).toBeLessThanOrEqual(Number(query.limit));
      items.push(...body.items);
      token = body.next_page_token;
      if (token === null) return items;
    }
    throw new Error('the walk did not end');
  }

  const QUERIES = ['1d', '1w', '1mo'].flatMap((timeframe) =>
    [2, 40].flatMap((limit) =>
      (['asc', 'desc'] as const).flatMap((sort) => [
        { timeframe, limit, sort, from: '2024-10-01', to: '2025-01-31' },
        { timeframe, limit, sort, from: '2024-10-20T13:00:00Z', to: '2024-12-31T23:00:00-05:00' },
      ]),
    ),
  );

  beforeAll(async () => {
    api = await startApi('e2e_rollups');
    const zone = parseTimeZone('America/New_York');
    await api.app
      .get(CatalogRepository)
      .upsert('asset', { id: SERIES, symbol: SERIES, name: 'Rollups', meta: { interval: '1h', timezone: zone.name } });
    const writer = new SeriesWriter(
      api.app.get(TimeSeriesRepository),
      api.app.get(QuoteRepository),
      api.app.get(SeriesExtentRepository),
      api.app.get(RollupRepository),
      { batchRows: 100, concurrency: 4 },
      api.app.get(PartitionChangeRepository),
    );
    // Written out of order in three calls, the middle first.
    const third = Math.floor(BARS.length / 3);
    await writer.write('asset', SERIES, 'test', BARS.slice(third, 2 * third), zone);
    await writer.write('asset', SERIES, 'test', BARS.slice(2 * third), zone);
    await writer.write('asset', SERIES, 'test', BARS.slice(0, third), zone);
  }, 120_000);

  afterAll(async () => {
    await api.close();
  });

  it('serves another tz than the rows were cut in from base bars', async () => {
    const before = await statementCounts();
    const utcDays = await walk({
      timeframe: '1d',
      limit: 2,
      sort: 'asc',
      from: '2024-11-01',
      to: '2024-11-05',
      tz: 'UTC',
    });
    const after = await statementCounts();
    const baseReads = [...after]
      .filter(([name]) => name.startsWith('asset_timeseries.'))
      .reduce((sum, [name, n]) => sum + n - (before.get(name) ?? 0), 0);
    expect(baseReads).toBeGreaterThan(0);
    const expectedDays = [
      ...new Set(
        BARS.map((bar) => bar.ts.toISOString().slice(0, 10)).filter(
          (day) => day >= '2024-11-01' && day <= '2024-11-05',
        ),
      ),
    ];
    expect(utcDays.map((item) => (item as { ts: string }).ts.slice(0, 10))).toEqual(expectedDays);
    expect(expectedDays.length).toBeGreaterThan(2);
  });

  it('equal the on-the-fly aggregation, page after page, and read rollups instead of base rows', async () => {
    const before = await statementCounts();
    const fromRollups: unknown[][] = [];
    for (const query of QUERIES) fromRollups.push(await walk(query));
    const after = await statementCounts();
    const ran = (prefix: string) =>
      [...after]
        .filter(([name]) => name.startsWith(prefix))
        .reduce((sum, [name, n]) => sum + n - (before.get(name) ?? 0), 0);
    expect(ran('asset_daily_rollup.select_range')).toBeGreaterThan(0);
    expect(ran('asset_timeseries.')).toBe(0);
    expect(fromRollups.every((items) => items.length > 0)).toBe(true);

    await api.keyspace.admin.execute('TRUNCATE asset_daily_rollup');
    for (const [index, query] of QUERIES.entries()) {
      expect({ query, items: await walk(query) }).toEqual({ query, items: fromRollups[index] });
    }
  }, 240_000);
});
