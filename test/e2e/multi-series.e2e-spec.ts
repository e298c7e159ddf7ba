import fc from 'fast-check';
import type { PricePointInput, SeriesKind } from '@market/cassandra';
import { type RunningApi, startApi } from '../support/api-app';
import { seedSeries } from '../support/seed';

/**
 * SPEC §10's multi-series route against real Cassandra: following next_page_token of
 * `GET /bars` yields, per symbol and in request order, exactly what walking each series'
 * own route yields (raw or aggregated, any timeframe, zone, range, limit and direction),
 * with `limit` counting bars over all symbols and a small work budget per page; and every
 * new 400 and 404.
 */

const WINDOW_START = Date.parse('2024-10-20T00:00:00Z');
const WINDOW_END = Date.parse('2025-01-20T00:00:00Z');
const FIVE_MINUTES = 300_000;

interface Seeded {
  readonly kind: SeriesKind;
  readonly id: string;
  readonly timezone: string;
  readonly rows: number;
  /** A month left empty, so walks cross an empty bucket. */
  readonly emptyMonth?: string;
}

/** MSTDUAL is both an asset and a commodity: plain, it names the asset. */
const SERIES: readonly Seeded[] = [
  { kind: 'asset', id: 'MSTA', timezone: 'America/New_York', rows: 600 },
  { kind: 'asset', id: 'MSTB', timezone: 'Europe/London', rows: 250, emptyMonth: '2024-12' },
  { kind: 'asset', id: 'MSTDUAL', timezone: 'UTC', rows: 150 },
  { kind: 'asset', id: 'MSTEMPTY', timezone: 'UTC', rows: 0 }, // bars before the window only
  { kind: 'commodity', id: 'mstoil', timezone: 'UTC', rows: 400 },
  { kind: 'commodity', id: 'MSTDUAL', timezone: 'Asia/Kolkata', rows: 300, emptyMonth: '2024-11' },
];

/** Symbols as a client may write them, with the route that reads the same series alone. */
const SYMBOLS: ReadonlyArray<{ readonly symbol: string; readonly path: string }> = [
  { symbol: 'MSTA', path: '/api/v1/data/MSTA' },
  { symbol: 'asset:MSTB', path: '/api/v1/data/MSTB' },
  { symbol: 'MSTDUAL', path: '/api/v1/data/MSTDUAL' },
  { symbol: 'MSTEMPTY', path: '/api/v1/data/MSTEMPTY' },
  { symbol: 'mstoil', path: '/api/v1/commodities/mstoil/data' },
  { symbol: 'commodity:MSTDUAL', path: '/api/v1/commodities/MSTDUAL/data' },
];

const TIMEFRAMES = [undefined, '5m', '15Min', '1h', '4h', '1d', '1w', '1mo'] as const;
const ZONES = [undefined, 'UTC', 'America/New_York', 'Asia/Kolkata'] as const;

function rowsOf(series: Seeded, seed: number): PricePointInput[] {
  const random = fc.sample(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { numRuns: series.rows * 4 + 1, seed });
  let cursor = 0;
  const next = () => random[cursor++] ?? 0;
  const slots = (WINDOW_END - WINDOW_START) / FIVE_MINUTES;
  const times = new Set<number>();
  while (times.size < series.rows && cursor < random.length) {
    const ts = WINDOW_START + (next() % slots) * FIVE_MINUTES;
    if (series.emptyMonth !== undefined && new Date(ts).toISOString().startsWith(series.emptyMonth)) continue;
    times.add(ts);
  }
  return [...times].map((ts) => {
    const cents = 1000 + (next() % 9000);
    return {
      ts: new Date(ts),
      price: `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`,
      ...(cents % 3 === 0 ? {} : { open: `${cents}.5`, high: `${cents + 7}.25`, low: `${cents - 7}.75` }),
      ...(cents % 4 === 0 ? {} : { volume: cents }),
      sourceId: 'multi',
    };
  });
}

interface Item {
  readonly ts: string;
  readonly price: string;
  readonly bar_count?: number;
}

interface BarsPage {
  readonly bars: Record<string, Item[]>;
  readonly next_page_token: string | null;
}

describe('several series in one request: GET /bars (property-based, real Cassandra)', () => {
  let api: RunningApi;

  beforeAll(async () => {
    // A small cap and empty-bucket budget: pages stop early on both, shared over the series of a page.
    // Generous timeouts: on a loaded 2-core machine a page may take seconds, and a 503 here says nothing.
    api = await startApi('e2e_multi_series', {
      RANGE_CAP_POINTS: '300',
      RANGE_MAX_EMPTY_BUCKETS: '1',
      REQUEST_TIMEOUT_MS: '60000',
      CASSANDRA_REQUEST_TIMEOUT_MS: '30000',
    });
    for (const [index, series] of SERIES.entries()) {
      if (series.rows === 0) continue;
      await seedSeries(api.app, series.kind, series.id, rowsOf(series, 4100 + index), {
        interval: '5m',
        timezone: series.timezone,
      });
    }
    const early = [{ ts: new Date('2023-03-01T12:00:00Z'), price: '1.00', sourceId: 'multi' }];
    await seedSeries(api.app, 'asset', 'MSTEMPTY', early, { interval: '5m', timezone: 'UTC' });
    await seedSeries(api.app, 'asset', 'MSTHOURLY', rowsOf({ ...SERIES[0], rows: 20 } as Seeded, 77), {
      interval: '1h',
    });
  }, 300_000);

  afterAll(async () => {
    await api.close();
  });

  async function walkSeries(path: string, query: Record<string, string | number>): Promise<Item[]> {
    const items: Item[] = [];
    let token: string | null = null;
    do {
      const response = await api.http.get(path).query({ ...query, ...(token === null ? {} : { page_token: token }) });
      expect(response.status).toBe(200);
      items.push(...(response.body as { items: Item[] }).items);
      token = (response.body as { next_page_token: string | null }).next_page_token;
    } while (token !== null);
    return items;
  }

  /** The multi-series walk: each page's bars, checked against limit and request order. */
  async function walkBars(symbols: readonly string[], query: Record<string, string | number>, limit: number) {
    const perSymbol = new Map<string, Item[]>(symbols.map((symbol) => [symbol, []]));
    const served: string[] = [];
    let token: string | null = null;
    let pages = 0;
    do {
      const response = await api.http
        .get('/api/v1/bars')
        .query({ ...query, symbols: symbols.join(','), limit, ...(token === null ? {} : { page_token: token }) });
      expect(response.status).toBe(200);
      const body = response.body as BarsPage;
      const keys = Object.keys(body.bars);
      expect(Object.values(body.bars).flat().length).toBeLessThanOrEqual(limit);
      // One work budget per page over all its series: at most RANGE_CAP_POINTS (300) base rows.
      const baseRows = Object.values(body.bars)
        .flat()
        .reduce((sum, item) => sum + (item.bar_count ?? 1), 0);
      expect(baseRows).toBeLessThanOrEqual(300);
      expect((body.next_page_token ?? '').length).toBeLessThan(4096);
      for (const symbol of keys) {
        perSymbol.get(symbol)?.push(...(body.bars[symbol] ?? []));
        if (served.at(-1) !== symbol) served.push(symbol);
      }
      token = body.next_page_token;
      pages += 1;
      if (pages > 3000) throw new Error('the walk does not end within 3000 pages');
    } while (token !== null);
    // Request order, each series finished before the next: every symbol served once, in order.
    expect(served).toEqual(symbols);
    return perSymbol;
  }

  it('yields, per symbol and in request order, exactly the walk of each series alone', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray([...SYMBOLS], { minLength: 1, maxLength: SYMBOLS.length }),
        fc.constantFrom(...TIMEFRAMES),
        fc.constantFrom(...ZONES),
        fc.option(fc.integer({ min: WINDOW_START - 20 * 86_400_000, max: WINDOW_END }), { nil: undefined }),
        fc.option(fc.integer({ min: WINDOW_START, max: WINDOW_END + 20 * 86_400_000 }), { nil: undefined }),
        fc.integer({ min: 1, max: 80 }),
        fc.constantFrom('asc' as const, 'desc' as const),
        async (chosen, timeframe, tz, a, b, limit, sort) => {
          const [fromMs, toMs] = a !== undefined && b !== undefined && a > b ? [b, a] : [a, b];
          const query = {
            sort,
            ...(fromMs === undefined ? {} : { from: new Date(fromMs).toISOString() }),
            ...(toMs === undefined ? {} : { to: new Date(toMs).toISOString() }),
            ...(timeframe === undefined ? {} : { timeframe }),
            ...(tz === undefined ? {} : { tz }),
          };
          const symbols = chosen.map(({ symbol }) => symbol);
          const walked = await walkBars(symbols, query, limit);
          for (const { symbol, path } of chosen) {
            expect({ symbol, items: walked.get(symbol) }).toEqual({
              symbol,
              items: await walkSeries(path, { ...query, limit: 300 }),
            });
          }
        },
      ),
      { numRuns: 25, seed: 20261207 },
    );
  }, 480_000);

  it('counts limit over all symbols and goes on with the next series in the same page', async () => {
    const response = await api.http
      .get('/api/v1/bars')
      .query({ symbols: 'MSTEMPTY,MSTDUAL,mstoil', timeframe: '1d', from: '2024-10-20', to: '2025-01-20', limit: 200 });
    expect(response.status).toBe(200);
    const body = response.body as BarsPage;
    expect(Object.keys(body.bars)).toEqual(['MSTEMPTY', 'MSTDUAL', 'mstoil']);
    expect(body.bars.MSTEMPTY).toEqual([]);
    const total = Object.values(body.bars).flat().length;
    expect(total).toBeGreaterThan(body.bars.MSTDUAL?.length ?? 0);
    expect(total).toBeLessThanOrEqual(200);
  });

  it('answers 404 naming every unknown symbol, in request order', async () => {
    const response = await api.http.get('/api/v1/bars').query({ symbols: 'NOPE1,MSTA,commodity:MSTA,NOPE2' });
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    const detail = String(response.body.detail);
    expect(detail).toContain('"NOPE1"');
    expect(detail).toContain('"commodity:MSTA"');
    expect(detail).toContain('"NOPE2"');
    expect(detail).not.toContain('"MSTA"');
    expect(detail.indexOf('NOPE1')).toBeLessThan(detail.indexOf('NOPE2'));
  });

  it('answers 400 for an empty list, an empty entry, more than 100 symbols, a bad prefix and duplicates', async () => {
    const cases: Array<[string, string]> = [
      ['', 'empty'],
      [',', 'empty'],
      ['MSTA,,MSTB', 'empty entry'],
      [Array.from({ length: 101 }, (_, index) => `S${index}`).join(','), 'at most 100'],
      ['stock:MSTA', 'prefix'],
      ['commodity:', 'no id'],
      ['MSTA,MSTB,MSTA', 'more than once'],
      ['mstoil,commodity:mstoil', 'twice'],
    ];
    for (const [symbols, why] of cases) {
      const response = await api.http.get('/api/v1/bars').query({ symbols });
      expect({ symbols, status: response.status }).toEqual({ symbols, status: 400 });
      expect(String(response.body.detail)).toContain(why);
    }
    const missing = await api.http.get('/api/v1/bars');
    expect(missing.status).toBe(400);
    expect(String(missing.body.detail)).toContain('symbols');
  });

  it('accepts exactly 100 symbols (then names the unknown ones)', async () => {
    const symbols = ['MSTA', ...Array.from({ length: 99 }, (_, index) => `MSTNONE${index}`)];
    const response = await api.http.get('/api/v1/bars').query({ symbols: symbols.join(',') });
    expect(response.status).toBe(404);
    expect(String(response.body.detail)).toContain('"MSTNONE98"');
  });

  it('answers 400 for a timeframe finer than a series stores, naming that series', async () => {
    const response = await api.http.get('/api/v1/bars').query({ symbols: 'MSTA,MSTHOURLY', timeframe: '15m' });
    expect(response.status).toBe(400);
    expect(String(response.body.detail)).toContain('MSTHOURLY (1h)');
    expect(String(response.body.detail)).not.toContain('MSTA');
    const fine = await api.http.get('/api/v1/bars').query({ symbols: 'MSTA,MSTHOURLY', timeframe: '1h', limit: 1 });
    expect(fine.status).toBe(200);
  });

  it('answers 400 for a token replayed with another list, timeframe, tz, sort, range or from a single route', async () => {
    const query = { symbols: 'MSTA,mstoil', timeframe: '1h', from: '2024-11-01', to: '2024-12-31', limit: 5 };
    const first = await api.http.get('/api/v1/bars').query(query);
    expect(first.status).toBe(200);
    const token = (first.body as BarsPage).next_page_token;
    expect(token).not.toBeNull();
    const replays = [
      { ...query, symbols: 'MSTA,MSTB' },
      { ...query, symbols: 'mstoil,MSTA' },
      { ...query, symbols: 'asset:MSTA,mstoil' },
      { ...query, timeframe: '4h' },
      { ...query, tz: 'UTC' },
      { ...query, sort: 'desc' },
      { ...query, to: '2024-12-30' },
      { ...query, from: '2024-11-02' },
    ];
    for (const replay of replays) {
      const response = await api.http.get('/api/v1/bars').query({ ...replay, page_token: token });
      expect({ replay, status: response.status }).toEqual({ replay, status: 400 });
      expect(response.body.type).toContain('invalid-page-token');
    }
    const same = await api.http.get('/api/v1/bars').query({ ...query, page_token: token });
    expect(same.status).toBe(200);
    const { symbols: _symbols, ...singleQuery } = query;
    const single = await api.http.get('/api/v1/data/MSTA').query(singleQuery);
    const singleToken = (single.body as { next_page_token: string }).next_page_token;
    const onto = await api.http.get('/api/v1/bars').query({ ...query, page_token: singleToken });
    expect(onto.status).toBe(400);
    const back = await api.http
      .get('/api/v1/data/MSTA')
      .query({ timeframe: '1h', from: query.from, to: query.to, limit: 5, page_token: token });
    expect(back.status).toBe(400);
    const tampered = `${token?.slice(0, -2) ?? ''}xx`;
    const forged = await api.http.get('/api/v1/bars').query({ ...query, page_token: tampered });
    expect(forged.status).toBe(400);
  });

  it('answers 400 for a bad timeframe, zone, range or limit, as the single-series routes do', async () => {
    for (const extra of [
      { timeframe: '2h' },
      { timeframe: '1h', tz: 'Mars/Olympus' },
      { tz: 'Mars/Olympus' },
      { from: '2025-02-30' },
      { from: '2025-02-01', to: '2025-01-01' },
      { limit: 0 },
      { limit: 5001 },
      { sort: 'up' },
      { fill: 'forward' },
      // Served by the single-series routes only: /bars refuses them rather than ignore them.
      { fill: 'previous' },
      { format: 'csv' },
    ]) {
      const response = await api.http.get('/api/v1/bars').query({ symbols: 'MSTA,mstoil', ...extra });
      expect({ extra, status: response.status }).toEqual({ extra, status: 400 });
    }
  });
});
