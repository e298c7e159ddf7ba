import { Test, type TestingModule } from '@nestjs/testing';
import fc from 'fast-check';
import { CassandraModule, type PricePointInput, QuoteRepository, sourceRank } from '@market/cassandra';
import { migratedKeyspace } from '../support/test-keyspace';

type Keyspace = Awaited<ReturnType<typeof migratedKeyspace>>;

/** Two sources of different rank: which one wins a tie of ts is fixed by sourceRank. */
const [LOW_SOURCE, HIGH_SOURCE] = ['yahoo', 'stooq'].sort((left, right) => sourceRank(left) - sourceRank(right)) as [
  string,
  string,
];

/** A quote as the API returns it, for comparing with the bar that was written. */
function asStored(bar: PricePointInput) {
  return {
    ts: bar.ts,
    price: bar.price,
    open: bar.open ?? null,
    high: bar.high ?? null,
    low: bar.low ?? null,
    volume: bar.volume ?? null,
    sourceId: bar.sourceId,
  };
}

/** (ts, source rank): the order of bars; a tie goes to the later write. */
function compareOrder(left: PricePointInput, right: PricePointInput): number {
  return left.ts.getTime() - right.ts.getTime() || sourceRank(left.sourceId) - sourceRank(right.sourceId);
}

const BASE_MS = Date.parse('2025-08-05T20:00:00.000Z');

/** Bars on three timestamps and two sources, so ties, re-writes and late bars are frequent. */
const barArbitrary: fc.Arbitrary<PricePointInput> = fc
  .record({
    minute: fc.integer({ min: 0, max: 2 }),
    source: fc.constantFrom(LOW_SOURCE, HIGH_SOURCE),
    cents: fc.integer({ min: 1, max: 99_999 }),
    volume: fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: undefined }),
    withOhlc: fc.boolean(),
  })
  .map(({ minute, source, cents, volume, withOhlc }) => {
    const price = (cents / 100).toFixed(2);
    return {
      ts: new Date(BASE_MS + minute * 60_000),
      price,
      sourceId: source,
      ...(volume === undefined ? {} : { volume }),
      ...(withOhlc ? { open: ((cents + 1) / 100).toFixed(2), high: ((cents + 7) / 100).toFixed(2), low: price } : {}),
    };
  });

describe('latest quote ordering against real Cassandra', () => {
  let keyspace: Keyspace;
  let moduleRef: TestingModule;
  let quotes: QuoteRepository;
  let series = 0;
  const nextSeries = () => `Q${(series += 1)}`;

  beforeAll(async () => {
    keyspace = await migratedKeyspace('it_quote');
    moduleRef = await Test.createTestingModule({ imports: [CassandraModule.forRoot(keyspace.config)] }).compile();
    await moduleRef.init();
    quotes = moduleRef.get(QuoteRepository);
  });

  afterAll(async () => {
    await moduleRef.close();
    await keyspace.drop();
  });

  it('lets a correction of the same bar win whole (price and volume of the correction)', async () => {
    const id = nextSeries();
    const ts = new Date('2025-08-05T20:00:00Z');
    await quotes.offerLatest(id, { ts, price: '60.00', volume: 10, sourceId: 'csv' });
    await quotes.offerLatest(id, { ts, price: '50.00', volume: 20, sourceId: 'csv' });
    expect(await quotes.latest(id)).toEqual({
      ts,
      price: '50.00',
      open: null,
      high: null,
      low: null,
      volume: 20,
      sourceId: 'csv',
    });
  });

  it('lets a correction remove the open/high/low the first write had', async () => {
    const id = nextSeries();
    const ts = new Date('2025-08-05T20:00:00Z');
    await quotes.offerLatest(id, { ts, price: '10.00', open: '9.00', high: '11.00', low: '8.00', sourceId: 'csv' });
    await quotes.offerLatest(id, { ts, price: '10.50', volume: 3, sourceId: 'csv' });
    expect(await quotes.latest(id)).toEqual({
      ts,
      price: '10.50',
      open: null,
      high: null,
      low: null,
      volume: 3,
      sourceId: 'csv',
    });
  });

  it('is the newest complete bar by (ts, source rank, write order) after any sequence of writes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(barArbitrary, { minLength: 1, maxLength: 12 }), async (bars) => {
        const id = nextSeries();
        let expected: PricePointInput | undefined;
        for (const bar of bars) {
          await quotes.offerLatest(id, bar);
          if (expected === undefined || compareOrder(bar, expected) >= 0) expected = bar;
        }
        if (expected === undefined) throw new Error('no bar written');
        expect(await quotes.latest(id)).toEqual(asStored(expected));
      }),
      { numRuns: 40 },
    );
  });

  it('is one complete bar of the newest (ts, source rank) when writers race', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(barArbitrary, { minLength: 2, maxLength: 8 }), async (bars) => {
        const id = nextSeries();
        await Promise.all(bars.map((bar) => quotes.offerLatest(id, bar)));
        const newest = bars.reduce((best, bar) => (compareOrder(bar, best) > 0 ? bar : best));
        const candidates = bars.filter((bar) => compareOrder(bar, newest) === 0).map(asStored);
        expect(candidates).toContainEqual(await quotes.latest(id));
      }),
      { numRuns: 25 },
    );
  });

  it('reads a row written by the earlier write-timestamp scheme and orders new offers against it', async () => {
    const legacy = async (id: string, iso: string, price: string, sourceId: string) => {
      const ts = new Date(iso);
      // The scheme before: every column at write timestamp ts (µs) + source rank.
      await keyspace.admin.execute(
        'INSERT INTO latest_quote_by_asset (asset_id, ts, price, volume, bucket, source_id) VALUES (?, ?, ?, ?, ?, ?) USING TIMESTAMP ?',
        [id, ts, price, 5, iso.slice(0, 7), sourceId, ts.getTime() * 1000 + sourceRank(sourceId)],
        { prepare: true },
      );
    };
    const id = nextSeries();
    await legacy(id, '2025-08-05T20:00:00.000Z', '100.00', LOW_SOURCE);
    expect(await quotes.latest(id)).toMatchObject({ price: '100.00', volume: 5, sourceId: LOW_SOURCE });
    // An older bar still loses to the old row; the same bar re-written, and a newer one, win whole.
    await quotes.offerLatest(id, { ts: new Date('2025-08-05T19:59:00Z'), price: '1.00', sourceId: HIGH_SOURCE });
    expect(await quotes.latest(id)).toMatchObject({ price: '100.00', sourceId: LOW_SOURCE });
    await quotes.offerLatest(id, { ts: new Date('2025-08-05T20:00:00Z'), price: '101.00', sourceId: LOW_SOURCE });
    expect(await quotes.latest(id)).toMatchObject({ price: '101.00', volume: null, sourceId: LOW_SOURCE });
    await quotes.offerLatest(id, {
      ts: new Date('2025-08-05T20:00:00Z'),
      price: '99.00',
      volume: 1,
      sourceId: HIGH_SOURCE,
    });
    expect(await quotes.latest(id)).toMatchObject({ price: '99.00', volume: 1, sourceId: HIGH_SOURCE });
  });
});
