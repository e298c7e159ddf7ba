import { type TestingModule } from '@nestjs/testing';
import { type SeriesKind, TimeSeriesRepository, bucketSlices } from '@market/cassandra';
import { BackfillService } from '../../apps/ingestor/src/backfill/backfill.service';
import type { SeriesTarget } from '../../apps/ingestor/src/ingest/ingest.service';
import { FakePriceServer } from '../support/fake-price-server';
import { ingestorTestModule } from '../support/ingestor-module';
import { migratedKeyspace } from '../support/test-keyspace';

type Keyspace = Awaited<ReturnType<typeof migratedKeyspace>>;

function ingestorModule(keyspace: Keyspace, env: Record<string, string>): Promise<TestingModule> {
  return ingestorTestModule(keyspace.config.keyspace, env, { providers: [BackfillService] });
}

const DAY_MS = 86_400_000;
const isoDay = (instant: Date) => instant.toISOString().slice(0, 10);
const fromCompact = (text: string) => new Date(`${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}T00:00:00Z`);
/** The close the fake Stooq gives a day: a function of the date, so every bar can be checked. */
const closeOf = (day: Date) => `${100 + ((day.getTime() / DAY_MS) % 1000)}.25`;

describe('backfills against real Cassandra', () => {
  let keyspace: Keyspace;
  let fake: FakePriceServer;
  let moduleRef: TestingModule;

  /** Every stored bar of a series between two days, as `day close`. */
  async function stored(kind: SeriesKind, id: string, from: string, to: string): Promise<string[]> {
    const repository = moduleRef.get(TimeSeriesRepository);
    const rows: string[] = [];
    for (const slice of bucketSlices(new Date(from), new Date(to))) {
      let pageState: string | null = null;
      do {
        const page = await repository.readSlice(kind, id, slice, { fetchSize: 5000, pageState });
        rows.push(...page.points.map((point) => `${point.ts.toISOString()} ${point.price}`));
        pageState = page.pageState;
      } while (pageState !== null);
    }
    return rows;
  }

  beforeAll(async () => {
    keyspace = await migratedKeyspace('it_backfill');
    fake = await FakePriceServer.start();
    moduleRef = await ingestorModule(keyspace, { STOOQ_BASE_URL: fake.baseUrl });
  });

  afterAll(async () => {
    await moduleRef.close();
    await fake.stop();
    await keyspace.drop();
  });

  describe('resume', () => {
    // Stooq daily bars: one request per 365 days, so 2020-01-01 → 2024-12-31 is six requests.
    const target: SeriesTarget = {
      kind: 'asset',
      seriesId: 'RESUME',
      provider: 'stooq',
      symbol: 'res.us',
      interval: '1d',
    };
    const window = { from: new Date('2020-01-01T00:00:00Z'), to: new Date('2025-01-01T00:00:00Z') };
    let failAt: string | null = null;

    /** The windows Stooq was asked for, as `d1-d2`, and clears the log. */
    function requestedWindows(): string[] {
      const windows = fake.requests
        .filter((url) => url.pathname === '/q/d/l/')
        .map((url) => `${url.searchParams.get('d1')}-${url.searchParams.get('d2')}`);
      fake.requests.length = 0;
      return windows;
    }

    beforeAll(() => {
      // Every day of the asked window has a bar; the request starting at `failAt` breaks.
      fake.answer((url) => {
        const d1 = url.searchParams.get('d1') ?? '';
        const d2 = url.searchParams.get('d2') ?? '';
        if (d1 === failAt) return { body: 'this is not a Stooq CSV' };
        const rows = ['Date,Close'];
        for (let day = fromCompact(d1); day <= fromCompact(d2); day = new Date(day.getTime() + DAY_MS)) {
          rows.push(`${isoDay(day)},${closeOf(day)}`);
        }
        return { headers: { 'content-type': 'text/csv' }, body: `${rows.join('\n')}\n` };
      });
    });

    const expectedRows = () => {
      const rows: string[] = [];
      for (let day = window.from; day < window.to; day = new Date(day.getTime() + DAY_MS)) {
        rows.push(`${day.toISOString()} ${closeOf(day)}`);
      }
      return rows;
    };

    it('resumes an interrupted backfill at its checkpoint: the written chunks are not fetched again, and the data ends complete', async () => {
      const backfill = moduleRef.get(BackfillService);
      fake.requests.length = 0;
      failAt = '20211231'; // the third chunk
      await expect(backfill.backfill(target, window)).rejects.toThrow(/Stooq/);
      expect(requestedWindows()).toEqual(['20200101-20201230', '20201231-20211230', '20211231-20221230']);
      const partial = await stored('asset', 'RESUME', '2020-01-01T00:00:00Z', '2024-12-31T23:59:59.999Z');
      expect(partial).toEqual(expectedRows().slice(0, 730));

      failAt = null;
      const resumed: Date[] = [];
      const run = await backfill.backfill(target, window, { onResume: (from) => resumed.push(from) });
      expect(resumed).toEqual([new Date('2021-12-31T00:00:00Z')]);
      expect(run.resumedFrom).toEqual(new Date('2021-12-31T00:00:00Z'));
      expect(requestedWindows()).toEqual([
        '20211231-20221230',
        '20221231-20231230',
        '20231231-20241229',
        '20241230-20241231',
      ]);
      expect(run.summary.written).toBe(expectedRows().length - 730);
      expect(await stored('asset', 'RESUME', '2020-01-01T00:00:00Z', '2024-12-31T23:59:59.999Z')).toEqual(
        expectedRows(),
      );
    });

    it('asks for nothing when re-run after completing, and everything again with restart', async () => {
      const backfill = moduleRef.get(BackfillService);
      const done = await backfill.backfill(target, window);
      expect(done.resumedFrom).toEqual(window.to);
      expect(done.summary.written).toBe(0);
      expect(requestedWindows()).toEqual([]);

      // A restart interrupted early moves the checkpoint back, so the next run resumes there.
      failAt = '20201231';
      await expect(backfill.backfill(target, window, { restart: true })).rejects.toThrow(/Stooq/);
      expect(requestedWindows()).toEqual(['20200101-20201230', '20201231-20211230']);
      failAt = null;
      const again = await backfill.backfill(target, window);
      expect(again.resumedFrom).toEqual(new Date('2020-12-31T00:00:00Z'));
      expect(requestedWindows()[0]).toBe('20201231-20211230');
      expect(await stored('asset', 'RESUME', '2020-01-01T00:00:00Z', '2024-12-31T23:59:59.999Z')).toEqual(
        expectedRows(),
      );
    });

    it('keeps the checkpoint of a backfill to itself: another start date starts from its own beginning', async () => {
      const backfill = moduleRef.get(BackfillService);
      const other = await backfill.backfill(target, { from: new Date('2024-06-01T00:00:00Z'), to: window.to });
      expect(other.resumedFrom).toBeNull();
      expect(requestedWindows()).toEqual(['20240601-20241231']);
    });
  });
});
