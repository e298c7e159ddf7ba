import fc from 'fast-check';
import { DateTime } from 'luxon';
import type { PricePointInput } from '@market/cassandra';
import { type RunningApi, startApi } from '../support/api-app';
import { seedSeries } from '../support/seed';

/**
 * SPEC §10 against real Cassandra: following next_page_token over aggregated bars yields
 * exactly the bars of a reference aggregation computed here from the raw rows (with Luxon's
 * own wall-clock arithmetic, not the API's), decimal-exact, each once, in order, whatever
 * the timeframe, zone, range, limit and direction; and every new 400.
 */

const SERIES = 'TFWALK';
const NOW_SERIES = 'TFNOW';
const WINDOW_START = Date.parse('2024-10-20T00:00:00Z');
const WINDOW_END = Date.parse('2025-04-10T00:00:00Z');
const FIVE_MINUTES = 300_000;
const TIMEFRAMES = ['5m', '15m', '30m', '1h', '4h', '1d', '1w', '1mo'] as const;
type TestTimeframe = (typeof TIMEFRAMES)[number];
const ZONES = [undefined, 'UTC', 'Europe/London', 'Asia/Kolkata', 'America/New_York'] as const;

interface Row {
  readonly ts: number;
  readonly open: string | null;
  readonly high: string | null;
  readonly low: string | null;
  readonly close: string;
  readonly volume: number | null;
}

/** A price with exactly four fraction digits, so equal values have one spelling. */
const price = (tenThousandths: number) => {
  const text = String(tenThousandths).padStart(5, '0');
  return `${text.slice(0, -4)}.${text.slice(-4)}`;
};

/**
 * Five-minute bars: dense on the DST days (2024-11-03, 2025-03-09 in New York; 2024-10-27,
 * 2025-03-30 in London) and around the new year, sparse elsewhere, with empty days and a
 * whole empty February week; some bars without open/high/low or volume.
 */
function dataset(): Row[] {
  const random = fc.sample(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { numRuns: 6000, seed: 2112 });
  let cursor = 0;
  const next = () => random[cursor++ % random.length] ?? 0;
  const times = new Set<number>();
  const denseDays = ['2024-10-27', '2024-11-03', '2024-12-31', '2025-01-01', '2025-03-09', '2025-03-30'];
  for (const day of denseDays) {
    const start = Date.parse(`${day}T00:00:00Z`) - 6 * 3_600_000;
    for (let slot = 0; slot < 36 * 12; slot += 1) if (next() % 3 !== 0) times.add(start + slot * FIVE_MINUTES);
  }
  const slots = (WINDOW_END - WINDOW_START) / FIVE_MINUTES;
  for (let index = 0; index < 1500; index += 1) {
    const ts = WINDOW_START + (next() % slots) * FIVE_MINUTES;
    const day = new Date(ts).toISOString().slice(0, 10);
    if (day >= '2025-02-10' && day <= '2025-02-16') continue;
    if (next() % 7 === 0) continue;
    times.add(ts);
  }
  return [...times]
    .sort((a, b) => a - b)
    .map((ts) => {
      const close = 10_000 + (next() % 90_000);
      const withRange = next() % 5 !== 0;
      return {
        ts,
        open: withRange ? price(close - 50 + (next() % 100)) : null,
        high: withRange ? price(close + 100 + (next() % 300)) : null,
        low: withRange ? price(close - 100 - (next() % 300)) : null,
        close: price(close),
        volume: next() % 4 === 0 ? null : next() % 1_000_000,
      };
    });
}

const WIDTH_HOURS: Partial<Record<TestTimeframe, number>> = { '1h': 1, '4h': 4 };
const WIDTH_MINUTES: Partial<Record<TestTimeframe, number>> = { '5m': 5, '15m': 15, '30m': 30 };

/** The reference bar start: Luxon's own wall-clock `set`/`startOf`, no alignment code of the API. */
function referenceStart(ts: number, timeframe: TestTimeframe, zone: string): number {
  const local = DateTime.fromMillis(ts, { zone });
  if (timeframe === '1d') return local.startOf('day').toMillis();
  if (timeframe === '1w') return local.startOf('week').toMillis();
  if (timeframe === '1mo') return local.startOf('month').toMillis();
  const hours = WIDTH_HOURS[timeframe];
  if (hours !== undefined) {
    return local.set({ hour: Math.floor(local.hour / hours) * hours, minute: 0, second: 0, millisecond: 0 }).toMillis();
  }
  const minutes = WIDTH_MINUTES[timeframe] ?? 1;
  return local.set({ minute: Math.floor(local.minute / minutes) * minutes, second: 0, millisecond: 0 }).toMillis();
}

/** Four-digit prices compare as integers. */
const tenThousandths = (text: string) => Number(text.replace('.', ''));

interface ExpectedBar {
  ts: string;
  price: string;
  open: string;
  high: string;
  low: string;
  volume: number | null;
  bar_count: number;
}

function referenceBars(rows: readonly Row[], timeframe: TestTimeframe, zone: string): Map<number, ExpectedBar> {
  const groups = new Map<number, Row[]>();
  for (const row of rows) {
    const start = referenceStart(row.ts, timeframe, zone);
    groups.set(start, [...(groups.get(start) ?? []), row]);
  }
  const bars = new Map<number, ExpectedBar>();
  for (const [start, members] of groups) {
    const highs = members.map((row) => row.high ?? row.close);
    const lows = members.map((row) => row.low ?? row.close);
    const volumes = members.flatMap((row) => (row.volume === null ? [] : [row.volume]));
    const first = members[0];
    const last = members.at(-1);
    if (first === undefined || last === undefined) continue;
    bars.set(start, {
      ts: new Date(start).toISOString(),
      price: last.close,
      open: first.open ?? first.close,
      high: highs.reduce((a, b) => (tenThousandths(b) > tenThousandths(a) ? b : a)),
      low: lows.reduce((a, b) => (tenThousandths(b) < tenThousandths(a) ? b : a)),
      volume: volumes.length === 0 ? null : volumes.reduce((a, b) => a + b, 0),
      bar_count: members.length,
    });
  }
  return bars;
}

interface BarItem extends ExpectedBar {
  source_id: string | null;
  complete: boolean;
}

interface BarPage {
  items: BarItem[];
  next_page_token: string | null;
  timeframe?: string;
  tz?: string;
}

describe('bars at any timeframe (property-based, real Cassandra)', () => {
  let api: RunningApi;
  const rows = dataset();
  const references = new Map<string, Map<number, ExpectedBar>>();

  beforeAll(async () => {
    // A small cap and empty-bucket budget, so pages stop early on both and must resume at bar boundaries.
    api = await startApi('e2e_timeframes', { RANGE_CAP_POINTS: '1200', RANGE_MAX_EMPTY_BUCKETS: '1' });
    const points: PricePointInput[] = rows.map((row) => ({
      ts: new Date(row.ts),
      price: row.close,
      ...(row.open === null ? {} : { open: row.open }),
      ...(row.high === null ? {} : { high: row.high }),
      ...(row.low === null ? {} : { low: row.low }),
      ...(row.volume === null ? {} : { volume: row.volume }),
      sourceId: 'walk',
    }));
    await seedSeries(api.app, 'asset', SERIES, points, { interval: '5m', timezone: 'America/New_York' });
  }, 120_000);

  afterAll(async () => {
    await api.close();
  });

  function reference(timeframe: TestTimeframe, zone: string): Map<number, ExpectedBar> {
    const key = `${timeframe} ${zone}`;
    let bars = references.get(key);
    if (bars === undefined) {
      bars = referenceBars(rows, timeframe, zone);
      references.set(key, bars);
    }
    return bars;
  }

  async function walk(query: Record<string, string | number>, maxPages: number): Promise<BarItem[]> {
    const bars: BarItem[] = [];
    let token: string | null = null;
    let pages = 0;
    do {
      const response = await api.http
        .get(`/api/v1/data/${SERIES}`)
        .query({ ...query, ...(token === null ? {} : { page_token: token }) });
      expect(response.status).toBe(200);
      const body = response.body as BarPage;
      expect(body.items.length).toBeLessThanOrEqual(Number(query.limit));
      bars.push(...body.items);
      token = body.next_page_token;
      pages += 1;
      if (pages > maxPages) throw new Error(`the walk does not end within ${maxPages} pages`);
    } while (token !== null);
    return bars;
  }

  const iso = (ms: number) => new Date(ms).toISOString();

  it('yields exactly the reference bars, once each, in order, for any timeframe, zone, range, limit and sort', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...TIMEFRAMES),
        fc.constantFrom(...ZONES),
        fc.integer({ min: WINDOW_START, max: WINDOW_END }),
        fc.integer({ min: WINDOW_START, max: WINDOW_END }),
        fc.integer({ min: 1, max: 60 }),
        fc.constantFrom('asc' as const, 'desc' as const),
        async (timeframe, tz, a, b, limit, sort) => {
          const [fromMs, toMs] = a <= b ? [a, b] : [b, a];
          const zone = tz ?? 'America/New_York';
          const expected = [...reference(timeframe, zone).entries()]
            .filter(([start]) => start >= fromMs && start <= toMs)
            .sort(([left], [right]) => (sort === 'asc' ? left - right : right - left))
            .map(([, bar]) => bar);
          // The 5m series' raw rows at timeframe=5m; the rest aggregated.
          const query = {
            from: iso(fromMs),
            to: iso(toMs),
            limit,
            sort,
            timeframe,
            ...(tz === undefined ? {} : { tz }),
          };
          const bars = await walk(query, 2000);
          if (timeframe === '5m') {
            const raw = rows.filter((row) => row.ts >= fromMs && row.ts <= toMs).map((row) => iso(row.ts));
            expect(bars.map((bar) => bar.ts)).toEqual(sort === 'asc' ? raw : raw.reverse());
            expect(bars.every((bar) => bar.bar_count === undefined)).toBe(true);
            return;
          }
          expect(bars.map(({ source_id: _source, complete: _complete, ...bar }) => bar)).toEqual(expected);
          expect(bars.every((bar) => bar.source_id === null && bar.complete)).toBe(true);
        },
      ),
      { numRuns: 30, seed: 20261206 },
    );
  }, 240_000);

  it('answers 400 for a timeframe finer than the stored interval, naming both', async () => {
    const response = await api.http.get(`/api/v1/data/${SERIES}`).query({ timeframe: '1m' });
    expect(response.status).toBe(400);
    expect(String(response.body.detail)).toContain('1m');
    expect(String(response.body.detail)).toContain('5m');
  });

  it('answers 400 for a spelling that is no timeframe or alias', async () => {
    for (const timeframe of ['5min', '1M', '2h', '1Hours', 'daily', '']) {
      const response = await api.http.get(`/api/v1/data/${SERIES}`).query({ timeframe });
      expect(response.status).toBe(400);
    }
  });

  it("accepts Alpaca's spellings as the same timeframe", async () => {
    const query = { from: '2025-03-09', to: '2025-03-10', limit: 50 };
    const alpaca = await api.http.get(`/api/v1/data/${SERIES}`).query({ ...query, timeframe: '1Hour' });
    const ours = await api.http.get(`/api/v1/data/${SERIES}`).query({ ...query, timeframe: '1h' });
    expect(alpaca.status).toBe(200);
    expect(alpaca.body).toEqual(ours.body);
    expect((alpaca.body as BarPage).timeframe).toBe('1h');
    expect((alpaca.body as BarPage).tz).toBe('America/New_York');
  });

  it('answers 400 for an unknown time zone', async () => {
    for (const tz of ['Mars/Olympus', 'EST5', '+02:00', 'local']) {
      const response = await api.http.get(`/api/v1/data/${SERIES}`).query({ timeframe: '1h', tz });
      expect(response.status).toBe(400);
      expect(String(response.body.detail)).toContain('tz');
    }
  });

  it('answers 400 for a token replayed with another timeframe or zone, or onto raw bars', async () => {
    const query = { from: '2025-03-01', to: '2025-03-31', limit: 2, timeframe: '1d' };
    const first = await api.http.get(`/api/v1/data/${SERIES}`).query(query);
    const token = (first.body as BarPage).next_page_token;
    expect(token).not.toBeNull();
    const replays = [
      { ...query, timeframe: '1h' },
      { ...query, tz: 'UTC' },
      { from: query.from, to: query.to, limit: 2 },
    ];
    for (const replay of replays) {
      const response = await api.http.get(`/api/v1/data/${SERIES}`).query({ ...replay, page_token: token });
      expect(response.status).toBe(400);
    }
    const raw = await api.http.get(`/api/v1/data/${SERIES}`).query({ from: query.from, to: query.to, limit: 2 });
    const rawToken = (raw.body as BarPage).next_page_token;
    const onto = await api.http.get(`/api/v1/data/${SERIES}`).query({ ...query, page_token: rawToken });
    expect(onto.status).toBe(400);
  });

  it('says complete=false for the bar still running and true for the one before it', async () => {
    const now = Date.now();
    const minute = Math.floor(now / 60_000) * 60_000;
    const points: PricePointInput[] = [];
    for (let back = 0; back < 6 * 60; back += 5) {
      points.push({ ts: new Date(minute - back * 60_000), price: '1.00', volume: 1, sourceId: 'now' });
    }
    await seedSeries(api.app, 'asset', NOW_SERIES, points, { interval: '1m', timezone: 'UTC' });
    const response = await api.http
      .get(`/api/v1/data/${NOW_SERIES}`)
      .query({ timeframe: '1h', from: iso(minute - 7 * 3_600_000), sort: 'desc', limit: 3 });
    expect(response.status).toBe(200);
    const bars = (response.body as BarPage).items;
    expect(bars[0]?.ts).toBe(iso(Math.floor(minute / 3_600_000) * 3_600_000));
    expect(bars[0]?.complete).toBe(false);
    expect(bars[1]?.complete).toBe(true);
    expect(bars[2]?.complete).toBe(true);
  });

  it('serves raw bars, unchanged, when timeframe is absent or equals the stored interval', async () => {
    const query = { from: '2025-03-09', to: '2025-03-09T06:00:00Z', limit: 20 };
    const plain = await api.http.get(`/api/v1/data/${SERIES}`).query(query);
    const same = await api.http.get(`/api/v1/data/${SERIES}`).query({ ...query, timeframe: '5Min' });
    expect(plain.status).toBe(200);
    // The tokens differ only in their expiry: the same query, so either continues the other.
    const { next_page_token: sameToken, ...sameRest } = same.body as BarPage;
    const { next_page_token: plainToken, ...plainRest } = plain.body as BarPage;
    expect(sameRest).toEqual(plainRest);
    const continued = await api.http.get(`/api/v1/data/${SERIES}`).query({ ...query, page_token: sameToken ?? '' });
    const plainNext = await api.http.get(`/api/v1/data/${SERIES}`).query({ ...query, page_token: plainToken ?? '' });
    expect((continued.body as BarPage).items).toEqual((plainNext.body as BarPage).items);
    expect(Object.keys(plain.body as object).sort()).toEqual(['from', 'id', 'items', 'next_page_token', 'sort', 'to']);
  });

  it('shows meta.timezone on every catalog entry, filling old entries by source, and aligns to it', async () => {
    const bar = [{ ts: new Date('2025-06-02T15:00:00Z'), price: '5.00', sourceId: 'legacy' }];
    await seedSeries(api.app, 'asset', 'LEGACYNY', bar, { interval: '1m', source: 'yahoo' });
    await seedSeries(api.app, 'asset', 'LEGACYBTC', bar, { interval: '1m', source: 'binance' });
    await seedSeries(api.app, 'commodity', 'LEGACYOIL', bar, { interval: '1m', timezone: 'Europe/London' });
    const zoneOf = async (path: string) =>
      ((await api.http.get(path)).body as { meta: { timezone: string } }).meta.timezone;
    expect(await zoneOf('/api/v1/assets/LEGACYNY')).toBe('America/New_York');
    expect(await zoneOf('/api/v1/assets/LEGACYBTC')).toBe('UTC');
    expect(await zoneOf('/api/v1/commodities/LEGACYOIL')).toBe('Europe/London');
    const listed = (await api.http.get('/api/v1/assets').query({ limit: 100 })).body as {
      items: Array<{ meta: Record<string, string> }>;
    };
    expect(listed.items.every((entry) => typeof entry.meta.timezone === 'string')).toBe(true);
    const daily = async (path: string) => {
      const body = (await api.http.get(path).query({ timeframe: '1d', from: '2025-06-01' })).body as BarPage;
      return [body.tz, body.items.map((item) => item.ts)];
    };
    expect(await daily('/api/v1/data/LEGACYNY')).toEqual(['America/New_York', ['2025-06-02T04:00:00.000Z']]);
    expect(await daily('/api/v1/data/LEGACYBTC')).toEqual(['UTC', ['2025-06-02T00:00:00.000Z']]);
    expect(await daily('/api/v1/commodities/LEGACYOIL/data')).toEqual(['Europe/London', ['2025-06-01T23:00:00.000Z']]);
  });
});
