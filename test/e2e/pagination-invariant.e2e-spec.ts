import fc from 'fast-check';
import type { PricePointInput } from '@market/cassandra';
import { type RunningApi, startApi } from '../support/api-app';
import { insertPoints, seedSeries } from '../support/seed';

/**
 * SPEC §4: for any range and any limit, following next_page_token until it is absent yields
 * every row in the range exactly once, in ts order — across month and year boundaries, empty
 * months, and rows written between page requests — in both directions.
 */

const SERIES = 'WALK';
const WINDOW_START = Date.parse('2024-11-01T00:00:00Z');
const WINDOW_END = Date.parse('2025-03-31T23:59:59.999Z');
const MAX_PAGES_PER_WALK = 60;

/** ~600 rows from mid-November 2024 to mid-March 2025, none in January 2025, some on month edges. */
function dataset(): PricePointInput[] {
  const random = fc.sample(fc.integer({ min: 0, max: 2 ** 31 }), { numRuns: 700, seed: 42 });
  const timestamps = new Set<number>([
    Date.parse('2024-11-30T23:59:59.999Z'),
    Date.parse('2024-12-01T00:00:00.000Z'),
    Date.parse('2024-12-31T23:59:59.999Z'),
    Date.parse('2025-02-01T00:00:00.000Z'),
    Date.parse('2025-02-28T23:59:59.999Z'),
    Date.parse('2025-03-01T00:00:00.000Z'),
  ]);
  const start = Date.parse('2024-11-15T00:00:00Z');
  const span = Date.parse('2025-03-15T00:00:00Z') - start;
  for (const value of random) {
    const ts = start + Math.floor(((value / 2 ** 31) * span) / 1000) * 1000;
    if (new Date(ts).toISOString().startsWith('2025-01')) continue;
    timestamps.add(ts);
  }
  return [...timestamps].map((ts, index) => ({
    ts: new Date(ts),
    price: `${100 + index}.${String(index % 100).padStart(2, '0')}`,
    sourceId: 'walk',
  }));
}

const iso = (ms: number) => new Date(ms).toISOString();

interface Walk {
  rows: string[];
  pages: number;
}

describe('the pagination invariant (property-based, real Cassandra)', () => {
  let api: RunningApi;
  const existing = new Set<number>();

  beforeAll(async () => {
    api = await startApi('e2e_paging');
    const points = dataset();
    await seedSeries(api.app, 'asset', SERIES, points);
    for (const point of points) existing.add(point.ts.getTime());
  });

  afterAll(async () => {
    await api.close();
  });

  async function walk(
    from: string,
    to: string,
    limit: number,
    sort: 'asc' | 'desc',
    betweenPages: () => Promise<void>,
  ): Promise<Walk> {
    const rows: string[] = [];
    let token: string | null = null;
    let pages = 0;
    do {
      const response = await api.http
        .get(`/api/v1/data/${SERIES}`)
        .query({ from, to, limit, sort, ...(token === null ? {} : { page_token: token }) });
      expect(response.status).toBe(200);
      const body = response.body as { items: Array<{ ts: string }>; next_page_token: string | null };
      expect(body.items.length).toBeLessThanOrEqual(limit);
      rows.push(...body.items.map((item) => item.ts));
      token = body.next_page_token;
      pages += 1;
      if (token !== null) await betweenPages();
      if (pages > 10_000) throw new Error('the walk does not end');
    } while (token !== null);
    return { rows, pages };
  }

  const rangeArbitrary = fc
    .tuple(
      fc.integer({ min: WINDOW_START, max: WINDOW_END }),
      fc.integer({ min: WINDOW_START, max: WINDOW_END }),
      fc.boolean(),
      fc.integer({ min: 1, max: 400 }),
      fc.constantFrom('asc' as const, 'desc' as const),
    )
    .map(([a, b, dateOnly, limit, sort]) => {
      const [low, high] = a <= b ? [a, b] : [b, a];
      const from = dateOnly ? iso(low).slice(0, 10) : iso(low);
      const to = dateOnly ? iso(high).slice(0, 10) : iso(high);
      const fromMs = Date.parse(dateOnly ? `${from}T00:00:00.000Z` : from);
      const toMs = dateOnly ? Date.parse(`${to}T23:59:59.999Z`) : Date.parse(to);
      return { from, to, fromMs, toMs, limit, sort };
    });

  function expectedRows(fromMs: number, toMs: number, sort: 'asc' | 'desc'): string[] {
    const inRange = [...existing].filter((ts) => ts >= fromMs && ts <= toMs).sort((left, right) => left - right);
    return (sort === 'asc' ? inRange : inRange.reverse()).map(iso);
  }

  it('returns exactly the rows of the range, once each, in order, for any range, limit and direction', async () => {
    await fc.assert(
      fc.asyncProperty(rangeArbitrary, async ({ from, to, fromMs, toMs, limit, sort }) => {
        const expected = expectedRows(fromMs, toMs, sort);
        const pageLimit = Math.max(limit, Math.ceil(expected.length / MAX_PAGES_PER_WALK));
        const { rows } = await walk(from, to, pageLimit, sort, () => Promise.resolve());
        expect(rows).toEqual(expected);
      }),
      { numRuns: 40, seed: 20251124 },
    );
  });

  it('never repeats or skips a pre-existing row when rows are written between page requests', async () => {
    let counter = 0;
    await fc.assert(
      fc.asyncProperty(rangeArbitrary, async ({ from, to, fromMs, toMs, limit, sort }) => {
        const before = expectedRows(fromMs, toMs, sort);
        const pageLimit = Math.max(limit, Math.ceil(before.length / MAX_PAGES_PER_WALK));
        const written: number[] = [];
        const { rows } = await walk(from, to, pageLimit, sort, async () => {
          // A new row at an odd millisecond (the dataset uses whole seconds), somewhere in the range.
          counter += 1;
          const ts = fromMs + ((counter * 7_919_000) % Math.max(1, toMs - fromMs)) + 1;
          if (ts > toMs || existing.has(ts)) return;
          written.push(ts);
          await insertPoints(api.app, 'asset', SERIES, [{ ts: new Date(ts), price: '1.00', sourceId: 'late' }]);
        });
        for (const ts of written) existing.add(ts);
        expect(new Set(rows).size).toBe(rows.length);
        const order = [...rows].sort();
        expect(rows).toEqual(sort === 'asc' ? order : order.reverse());
        const returned = new Set(rows);
        expect(before.filter((ts) => !returned.has(ts))).toEqual([]);
        const allowed = new Set([...before, ...written.map(iso)]);
        expect(rows.filter((ts) => !allowed.has(ts))).toEqual([]);
      }),
      { numRuns: 25, seed: 7 },
    );
  });
});
