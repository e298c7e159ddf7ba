import {
  CatalogRepository,
  PartitionChangeRepository,
  QuoteRepository,
  RollupRepository,
  SeriesExtentRepository,
  SeriesWriter,
  TimeSeriesRepository,
} from '@market/cassandra';
import { RollupMaintainer } from '@market/cassandra/series/rollup-maintainer';
import { parseTimeZone } from '@market/domain';
import { generateSyntheticBars } from '../../apps/ingestor/src/providers/synthetic/synthetic.provider';
import { type RunningApi, startApi } from '../support/api-app';
import { adminClient } from '../support/test-keyspace';

const ZONE = parseTimeZone('America/New_York');
const FROM = '2025-06-30';
const TO = '2025-07-08';

interface MissingRange {
  from: string;
  to: string;
  bars: number;
}
interface SessionCoverage {
  date: string;
  status: string;
  expected: number;
  present: number;
  early_close: boolean;
  missing: MissingRange[];
}
interface CoverageReport {
  calendar: string;
  sessions: SessionCoverage[];
  totals: Record<string, number>;
}

/** A seeded shuffle's first `count`, so a failure names a reproducible set. */
function pick<T>(items: readonly T[], count: number, seed: number): T[] {
  const copy = [...items];
  let state = seed;
  for (let index = copy.length - 1; index > 0; index -= 1) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    const other = state % (index + 1);
    [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
  }
  return copy.slice(0, count);
}

/**
 * Coverage against the XNYS calendar on real Cassandra: a week of synthetic one-minute bars
 * around Independence Day (an early close on the 3rd, a holiday on the 4th, a weekend), then
 * random base bars deleted and the rollups recomputed: the report names exactly the deleted
 * bars, and neither the holiday nor the afternoon of the early close as missing.
 */
describe('coverage against exchange calendars (real Cassandra)', () => {
  let api: RunningApi;
  const bars = [
    ...generateSyntheticBars(
      { seed: 'market-warehouse', symbol: 'COV' },
      { from: new Date(`${FROM}T00:00:00Z`), to: new Date(`${TO}T23:59:59Z`), interval: '1m' },
    ),
  ].map((bar) => ({ ...bar, price: bar.close ?? '1', volume: Number(bar.volume) }));
  const deleted = pick(bars, 37, 24).sort((left, right) => left.ts.getTime() - right.ts.getTime());

  async function coverage(id: string, query: Record<string, string>, kind: 'asset' | 'commodity' = 'asset') {
    const url = kind === 'asset' ? `/api/v1/data/${id}/coverage` : `/api/v1/commodities/${id}/coverage`;
    return api.http.get(url).query(query);
  }

  beforeAll(async () => {
    api = await startApi('e2e_coverage');
    const meta = { interval: '1m', timezone: ZONE.name, calendar: 'XNYS', source: 'synthetic' };
    for (const kind of ['asset', 'commodity'] as const) {
      await api.app.get(CatalogRepository).upsert(kind, { id: 'COV', symbol: 'COV', name: 'Coverage', meta });
    }
    await api.app
      .get(CatalogRepository)
      .upsert('asset', { id: 'FRED', symbol: 'F', name: 'F', meta: { source: 'fred' } });
    const writer = new SeriesWriter(
      api.app.get(TimeSeriesRepository),
      api.app.get(QuoteRepository),
      api.app.get(SeriesExtentRepository),
      api.app.get(RollupRepository),
      { batchRows: 100, concurrency: 4 },
      api.app.get(PartitionChangeRepository),
    );
    await writer.write('asset', 'COV', 'synthetic', bars, ZONE);
    await writer.write('commodity', 'COV', 'synthetic', bars, ZONE);
    const client = await adminClient(api.keyspace.config);
    try {
      for (const bar of deleted) {
        await client.execute(
          `DELETE FROM ${api.keyspace.config.keyspace}.asset_timeseries WHERE asset_id = ? AND bucket = ? AND ts = ?`,
          ['COV', bar.ts.toISOString().slice(0, 7), bar.ts],
          { prepare: true },
        );
      }
    } finally {
      await client.shutdown();
    }
    // As `ingestor rollup` does after a repair: the days' counts follow their base rows.
    await new RollupMaintainer(api.app.get(TimeSeriesRepository), api.app.get(RollupRepository), 4).rebuild(
      'asset',
      'COV',
      ZONE,
      new Date(`${FROM}T00:00:00Z`),
      new Date(`${TO}T23:59:59Z`),
    );
  }, 300_000); // migrations take minutes on a busy shared node

  afterAll(async () => {
    await api?.close();
  });

  it('reports exactly the deleted bars as missing, and no holiday or early-close afternoon', async () => {
    const response = await coverage('COV', { from: FROM, to: TO });
    expect(response.status).toBe(200);
    const report = response.body as CoverageReport;
    expect(report.calendar).toBe('XNYS');
    const missing = report.sessions.flatMap((session) =>
      session.missing.flatMap((range) => {
        const minutes: string[] = [];
        for (let ms = Date.parse(range.from); ms <= Date.parse(range.to); ms += 60_000) {
          minutes.push(new Date(ms).toISOString());
        }
        expect(minutes).toHaveLength(range.bars);
        return minutes;
      }),
    );
    expect(missing).toEqual(deleted.map((bar) => bar.ts.toISOString()));
    const byDate = new Map(report.sessions.map((session) => [session.date, session]));
    expect(byDate.get('2025-07-04')).toMatchObject({ status: 'no_session', expected: 0, missing: [] });
    expect(byDate.get('2025-07-03')).toMatchObject({ early_close: true, expected: 210 });
    expect(byDate.has('2025-07-05')).toBe(false);
    expect(report.totals).toMatchObject({
      sessions: 6,
      expected: 5 * 390 + 210,
      present: 5 * 390 + 210 - deleted.length,
      missing: deleted.length,
      no_session: 1,
    });
  });

  it('counts a complete series from the rollups alone, for the commodity twin too', async () => {
    const response = await coverage('COV', { from: FROM, to: TO }, 'commodity');
    expect(response.status).toBe(200);
    const report = response.body as CoverageReport;
    expect(report.sessions.filter((session) => session.status !== 'complete').map((s) => s.date)).toEqual([
      '2025-07-04',
    ]);
    expect(report.totals).toMatchObject({ expected: 5 * 390 + 210, present: 5 * 390 + 210, complete: 6 });
  });

  it('reports sessions cut by the range by their own bars, and sessions with no bar as missing', async () => {
    const cut = (await coverage('COV', { from: '2025-07-07T15:00:00Z', to: '2025-07-09' }, 'commodity'))
      .body as CoverageReport;
    expect(cut.sessions.map((session) => [session.date, session.status, session.expected])).toEqual([
      ['2025-07-07', 'complete', 300],
      ['2025-07-08', 'complete', 390],
      ['2025-07-09', 'missing', 390],
    ]);
  });

  it.each([
    '500',
    ...pick(
      Array.from({ length: 900 }, (_, index) => String(index + 37)),
      3,
      29,
    ),
  ])('fills exactly the deleted bars with the previous close on fill=previous, in pages of %s', async (limit) => {
    const items: { ts: string; price: string; open: string; volume: number; filled?: boolean }[] = [];
    let token: string | null = null;
    do {
      const query: Record<string, string> = { from: FROM, to: TO, fill: 'previous', limit };
      const response = await api.http
        .get('/api/v1/data/COV')
        .query(token === null ? query : { ...query, page_token: token });
      expect(response.status).toBe(200);
      const body = response.body as { items: typeof items; next_page_token: string | null };
      items.push(...body.items);
      token = body.next_page_token;
    } while (token !== null);
    // The reference: every stored bar, and each deleted one as the close of the bar before it.
    const gone = new Set(deleted.map((bar) => bar.ts.getTime()));
    const reference: { ts: string; price: string; filled: boolean }[] = [];
    for (const bar of bars) {
      const previous = reference.at(-1);
      if (gone.has(bar.ts.getTime()) && previous === undefined) continue; // never before the first bar
      reference.push(
        gone.has(bar.ts.getTime())
          ? { ts: bar.ts.toISOString(), price: previous?.price ?? '', filled: true }
          : { ts: bar.ts.toISOString(), price: bar.price, filled: false },
      );
    }
    expect(items.map((item) => ({ ts: item.ts, price: item.price, filled: item.filled === true }))).toEqual(reference);
    for (const item of items.filter((bar) => bar.filled === true)) {
      expect(item).toMatchObject({ open: item.price, volume: 0 });
    }
  });

  it('binds fill in the page token and refuses fill with sort=desc or an unknown mode', async () => {
    const firstToken = (
      (await api.http.get('/api/v1/data/COV').query({ from: FROM, to: TO, fill: 'previous', limit: '500' })).body as {
        next_page_token: string | null;
      }
    ).next_page_token;
    expect(firstToken).not.toBeNull();
    const foreign = await api.http
      .get('/api/v1/data/COV')
      .query({ from: FROM, to: TO, limit: '500', page_token: firstToken });
    expect(foreign.status).toBe(400);
    expect((await api.http.get('/api/v1/data/COV').query({ from: FROM, fill: 'previous', sort: 'desc' })).status).toBe(
      400,
    );
    expect((await api.http.get('/api/v1/data/COV').query({ from: FROM, fill: 'next' })).status).toBe(400);
  });

  it('fills whole timeframe bars on fill=previous: a session with no bar, never a holiday, an early close’s afternoon or before the first bar', async () => {
    // The commodity twin is complete from 2025-06-30 to 2025-07-08: Friday 27 June comes before
    // its first bar, the 3rd closes at 13:00, the 4th is a holiday and the 9th has no bar at all.
    const response = await api.http
      .get('/api/v1/commodities/COV/data')
      .query({ from: '2025-06-27', to: '2025-07-09', timeframe: '1h', fill: 'previous', limit: '1000' });
    expect(response.status).toBe(200);
    const items = (response.body as { items: { ts: string; price: string; volume: number; filled?: boolean }[] }).items;
    const hours = (date: string, count: number) =>
      Array.from({ length: count }, (_, hour) => new Date(Date.parse(`${date}T13:00:00Z`) + hour * 3_600_000));
    const real = ['2025-06-30', '2025-07-01', '2025-07-02', '2025-07-03', '2025-07-07', '2025-07-08'].flatMap((date) =>
      hours(date, date === '2025-07-03' ? 4 : 7),
    );
    const filled = hours('2025-07-09', 7);
    expect(items.map((item) => [item.ts, item.filled === true])).toEqual([
      ...real.map((ts) => [ts.toISOString(), false]),
      ...filled.map((ts) => [ts.toISOString(), true]),
    ]);
    const lastClose = items[real.length - 1]?.price;
    for (const item of items.slice(real.length)) expect(item).toMatchObject({ price: lastClose, volume: 0 });
  });

  it('answers 400 for bad bounds, a span over 366 days and a series without a calendar, 404 for an unknown one', async () => {
    expect((await coverage('COV', { from: '2025-07-08', to: '2025-07-01' })).status).toBe(400);
    expect((await coverage('COV', { from: 'yesterday' })).status).toBe(400);
    expect((await coverage('COV', { to: '2025-07-01' })).status).toBe(400);
    expect((await coverage('COV', { from: '2024-01-01', to: '2025-07-01' })).status).toBe(400);
    expect((await coverage('FRED', { from: '2025-07-01', to: '2025-07-02' })).status).toBe(400);
    expect((await coverage('NOPE', { from: '2025-07-01', to: '2025-07-02' })).status).toBe(404);
  });
});
