import { Test, type TestingModule } from '@nestjs/testing';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import {
  type BarValues,
  CassandraModule,
  type DailyRollup,
  PartitionChangeRepository,
  QuoteRepository,
  RollupRepository,
  type SeriesKind,
  SeriesExtentRepository,
  SeriesWriter,
  TimeSeriesRepository,
  bucketSlices,
} from '@market/cassandra';
import { type BaseBar, aggregateBars, parseTimeZone } from '@market/domain';
import { migratedKeyspace } from '../support/test-keyspace';

type Keyspace = Awaited<ReturnType<typeof migratedKeyspace>>;

const MINUTE = 60_000;

/** A writer over its own module (its own driver Client): two of them are two writers of the store. */
async function writerModule(keyspace: Keyspace): Promise<{ moduleRef: TestingModule; writer: SeriesWriter }> {
  const moduleRef = await Test.createTestingModule({ imports: [CassandraModule.forRoot(keyspace.config)] }).compile();
  await moduleRef.init();
  const writer = new SeriesWriter(
    moduleRef.get(TimeSeriesRepository),
    moduleRef.get(QuoteRepository),
    moduleRef.get(SeriesExtentRepository),
    moduleRef.get(RollupRepository),
    // Small batches and several in flight: one write is many statements, as in production.
    { batchRows: 7, concurrency: 3 },
    moduleRef.get(PartitionChangeRepository),
  );
  return { moduleRef, writer };
}

/** A rollup as compared: every field as text. */
function rollupLine(rollup: DailyRollup): string {
  return [
    rollup.day,
    rollup.open,
    rollup.high,
    rollup.low,
    rollup.close,
    rollup.volume === null ? 'null' : rollup.volume.toString(),
    rollup.barCount,
    rollup.firstTs.toISOString(),
    rollup.lastTs.toISOString(),
    rollup.dayStart.toISOString(),
    rollup.dayEnd.toISOString(),
    rollup.timezone,
  ].join(' ');
}

describe('daily rollups kept by the series writer, against real Cassandra', () => {
  let keyspace: Keyspace;
  let first: Awaited<ReturnType<typeof writerModule>>;
  let second: Awaited<ReturnType<typeof writerModule>>;
  let rollups: RollupRepository;

  beforeAll(async () => {
    keyspace = await migratedKeyspace('it_rollups');
    [first, second] = await Promise.all([writerModule(keyspace), writerModule(keyspace)]);
    rollups = first.moduleRef.get(RollupRepository);
  });

  afterAll(async () => {
    await Promise.all([first.moduleRef.close(), second.moduleRef.close()]);
    await keyspace.drop();
  });

  /**
   * The reference: every stored base row of [from, to] read back raw, grouped by its local
   * day (Luxon, independently of the code under test) and aggregated by the domain's pure
   * aggregation function.
   */
  async function expectedRollups(kind: SeriesKind, id: string, zone: string, from: Date, to: Date): Promise<string[]> {
    const repository = first.moduleRef.get(TimeSeriesRepository);
    const byDay = new Map<string, { bars: BaseBar[]; first: Date; last: Date }>();
    for (const slice of bucketSlices(from, to)) {
      let pageState: string | null = null;
      do {
        const page = await repository.readSlice(kind, id, slice, { fetchSize: 5000, pageState });
        for (const point of page.points) {
          const day = DateTime.fromJSDate(point.ts, { zone }).toISODate() ?? 'invalid';
          const group = byDay.get(day) ?? { bars: [], first: point.ts, last: point.ts };
          group.bars.push({ ...point, ts: point.ts.getTime(), close: point.price });
          group.last = point.ts;
          byDay.set(day, group);
        }
        pageState = page.pageState;
      } while (pageState !== null);
    }
    return [...byDay].map(([day, group]) => {
      const aggregate = aggregateBars(0, group.bars);
      if (aggregate === null) throw new Error('a group without bars');
      const start = DateTime.fromISO(day, { zone }).startOf('day');
      return rollupLine({
        ...aggregate,
        day,
        firstTs: group.first,
        lastTs: group.last,
        dayStart: start.toJSDate(),
        dayEnd: start.plus({ days: 1 }).startOf('day').toJSDate(),
        timezone: zone,
      });
    });
  }

  async function storedRollups(
    kind: SeriesKind,
    id: string,
    fromDay: string,
    toDay: string,
    order: 'asc' | 'desc' = 'asc',
  ): Promise<string[]> {
    const lines: string[] = [];
    for await (const rollup of rollups.days(kind, id, fromDay, toDay, order)) lines.push(rollupLine(rollup));
    return lines;
  }

  // Slots 43 minutes apart from 2025-10-30 00:00 UTC: five days over a month boundary and the
  // end of New York's daylight saving time (2025-11-02, a 25-hour day).
  const START = Date.parse('2025-10-30T00:00:00Z');
  const SLOTS = 170;
  const price = fc
    .tuple(fc.integer({ min: 1, max: 999 }), fc.integer({ min: 0, max: 99 }))
    .map(([units, cents]) => `${units}.${String(cents).padStart(2, '0')}`);
  const bar = fc.record({
    slot: fc.integer({ min: 0, max: SLOTS - 1 }),
    price,
    open: fc.option(price, { nil: null }),
    high: fc.option(price, { nil: null }),
    low: fc.option(price, { nil: null }),
    volume: fc.option(fc.integer({ min: 0, max: 5_000_000 }), { nil: null }),
  });
  // One write: bars in any order (late and out-of-order ones), slots drawn from a small set
  // so later writes re-write earlier bars with changed values.
  const write = fc
    .array(bar, { minLength: 1, maxLength: 30 })
    .map((bars): BarValues[] =>
      bars.map(({ slot, ...values }) => ({ ts: new Date(START + slot * 43 * MINUTE), ...values })),
    );

  it('equal the aggregation of the stored base bars after random writes, re-writes, late bars and two concurrent writers', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('UTC', 'America/New_York'),
        fc.constantFrom<SeriesKind>('asset', 'commodity'),
        fc.array(write, { minLength: 1, maxLength: 4 }),
        fc.array(write, { minLength: 0, maxLength: 4 }),
        async (zoneName, kind, writesOfFirst, writesOfSecond) => {
          run += 1;
          const id = `PROP${run}`;
          const zone = parseTimeZone(zoneName);
          // Each writer writes its sequence in order; the two run at the same time.
          await Promise.all(
            [
              { writer: first.writer, writes: writesOfFirst },
              { writer: second.writer, writes: writesOfSecond },
            ].map(async ({ writer, writes }) => {
              for (const bars of writes) await writer.write(kind, id, 'test', bars, zone);
            }),
          );
          const from = new Date(START - 2 * 86_400_000);
          const to = new Date(START + 8 * 86_400_000);
          const expected = await expectedRollups(kind, id, zoneName, from, to);
          expect(expected.length).toBeGreaterThan(0);
          expect(await storedRollups(kind, id, '2025-10-28', '2025-11-07')).toEqual(expected);
          expect(await storedRollups(kind, id, '2025-10-28', '2025-11-07', 'desc')).toEqual([...expected].reverse());
        },
      ),
      { numRuns: 12 },
    );
  }, 300_000);

  it('stay right when two writers re-write the same day at the same time, again and again', async () => {
    const zone = parseTimeZone('America/New_York');
    const day = (offset: number, value: number): BarValues[] =>
      Array.from({ length: 30 }, (_, index) => ({
        ts: new Date(Date.parse('2025-11-03T14:30:00Z') + index * MINUTE),
        price: `${value + offset + index}.10`,
        volume: value,
      }));
    // Ten rounds of two writers each writing the whole day with their own values: the row
    // must equal whatever base rows survived, never a mix of one writer's read and the other's.
    for (let round = 0; round < 10; round += 1) {
      await Promise.all([
        first.writer.write('asset', 'RACE', 'a', day(0, 100 + round), zone),
        second.writer.write('asset', 'RACE', 'b', day(1, 200 + round), zone),
      ]);
      const expected = await expectedRollups(
        'asset',
        'RACE',
        'America/New_York',
        new Date('2025-11-03T00:00:00Z'),
        new Date('2025-11-05T00:00:00Z'),
      );
      expect(await storedRollups('asset', 'RACE', '2025-11-03', '2025-11-03')).toEqual(expected);
    }
  }, 120_000);

  it('cuts days on the New York clock: 23 hours on 2025-03-09, 25 hours on 2025-11-02', async () => {
    const zone = parseTimeZone('America/New_York');
    const everyMinute = (fromIso: string, toIso: string): BarValues[] => {
      const bars: BarValues[] = [];
      for (let ms = Date.parse(fromIso); ms < Date.parse(toIso); ms += MINUTE) {
        bars.push({ ts: new Date(ms), price: '10.00', high: '10.50', low: '9.50', volume: 1 });
      }
      return bars;
    };
    // Local midnight to local midnight, plus the minute before and after each day.
    await first.writer.write('asset', 'DST', 'test', everyMinute('2025-03-09T04:59:00Z', '2025-03-10T04:01:00Z'), zone);
    await first.writer.write('asset', 'DST', 'test', everyMinute('2025-11-02T03:59:00Z', '2025-11-03T05:01:00Z'), zone);
    const march = await storedRollups('asset', 'DST', '2025-03-08', '2025-03-10');
    expect(march).toEqual([
      '2025-03-08 10.00 10.50 9.50 10.00 1 1 2025-03-09T04:59:00.000Z 2025-03-09T04:59:00.000Z 2025-03-08T05:00:00.000Z 2025-03-09T05:00:00.000Z America/New_York',
      '2025-03-09 10.00 10.50 9.50 10.00 1380 1380 2025-03-09T05:00:00.000Z 2025-03-10T03:59:00.000Z 2025-03-09T05:00:00.000Z 2025-03-10T04:00:00.000Z America/New_York',
      '2025-03-10 10.00 10.50 9.50 10.00 1 1 2025-03-10T04:00:00.000Z 2025-03-10T04:00:00.000Z 2025-03-10T04:00:00.000Z 2025-03-11T04:00:00.000Z America/New_York',
    ]);
    const november = await storedRollups('asset', 'DST', '2025-11-01', '2025-11-03');
    expect(november).toEqual([
      '2025-11-01 10.00 10.50 9.50 10.00 1 1 2025-11-02T03:59:00.000Z 2025-11-02T03:59:00.000Z 2025-11-01T04:00:00.000Z 2025-11-02T04:00:00.000Z America/New_York',
      '2025-11-02 10.00 10.50 9.50 10.00 1500 1500 2025-11-02T04:00:00.000Z 2025-11-03T04:59:00.000Z 2025-11-02T04:00:00.000Z 2025-11-03T05:00:00.000Z America/New_York',
      '2025-11-03 10.00 10.50 9.50 10.00 1 1 2025-11-03T05:00:00.000Z 2025-11-03T05:00:00.000Z 2025-11-03T05:00:00.000Z 2025-11-04T05:00:00.000Z America/New_York',
    ]);
  }, 120_000);

  it('keeps a volume of null when no base bar has one, and reads across a year boundary in both orders', async () => {
    const zone = parseTimeZone('UTC');
    const bars: BarValues[] = ['2024-12-31T23:59:00Z', '2025-01-01T00:00:00Z', '2025-01-02T12:00:00Z'].map((iso) => ({
      ts: new Date(iso),
      price: '1.5',
    }));
    await first.writer.write('commodity', 'brent', 'fred', bars, zone);
    expect(await storedRollups('commodity', 'brent', '2024-12-01', '2025-01-31')).toEqual([
      '2024-12-31 1.5 1.5 1.5 1.5 null 1 2024-12-31T23:59:00.000Z 2024-12-31T23:59:00.000Z 2024-12-31T00:00:00.000Z 2025-01-01T00:00:00.000Z UTC',
      '2025-01-01 1.5 1.5 1.5 1.5 null 1 2025-01-01T00:00:00.000Z 2025-01-01T00:00:00.000Z 2025-01-01T00:00:00.000Z 2025-01-02T00:00:00.000Z UTC',
      '2025-01-02 1.5 1.5 1.5 1.5 null 1 2025-01-02T12:00:00.000Z 2025-01-02T12:00:00.000Z 2025-01-02T00:00:00.000Z 2025-01-03T00:00:00.000Z UTC',
    ]);
    expect(await storedRollups('commodity', 'brent', '2024-12-01', '2025-01-31', 'desc')).toHaveLength(3);
    expect(await storedRollups('commodity', 'brent', '2025-01-02', '2025-01-31', 'desc')).toHaveLength(1);
    expect(await storedRollups('asset', 'brent', '2024-12-01', '2025-01-31')).toEqual([]);
  });
});
