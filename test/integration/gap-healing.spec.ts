import { type TestingModule } from '@nestjs/testing';
import {
  CatalogRepository,
  CoverageReader,
  RollupRepository,
  type SeriesKind,
  TimeSeriesRepository,
  bucketSlices,
} from '@market/cassandra';
import { RollupMaintainer } from '@market/cassandra/series/rollup-maintainer';
import { catalogCalendar, parseTimeZone } from '@market/domain';
import { HealModule } from '../../apps/ingestor/src/heal/heal.module';
import { HealService } from '../../apps/ingestor/src/heal/heal.service';
import { IngestService, type SeriesTarget } from '../../apps/ingestor/src/ingest/ingest.service';
import { JobRunner } from '../../apps/ingestor/src/jobs/job-runner';
import type { JobDefinition } from '../../apps/ingestor/src/jobs/jobs-file';
import { MetricsRegistry } from '@market/observability';
import { generateSyntheticBars } from '../../apps/ingestor/src/providers/synthetic/synthetic.provider';
import { FakePriceServer } from '../support/fake-price-server';
import { ingestorTestModule } from '../support/ingestor-module';
import { adminClient, migratedKeyspace } from '../support/test-keyspace';

type Keyspace = Awaited<ReturnType<typeof migratedKeyspace>>;
const HOUR = 3_600_000;

function healerModule(keyspace: Keyspace, env: Record<string, string>): Promise<TestingModule> {
  return ingestorTestModule(
    keyspace.config.keyspace,
    { ...env, HEAL_BACKOFF_MS: '0' },
    { imports: [HealModule], providers: [JobRunner] },
  );
}

async function storedBars(moduleRef: TestingModule, kind: SeriesKind, id: string, from: string, to: string) {
  const points = [];
  for (const slice of bucketSlices(new Date(from), new Date(to))) {
    let pageState: string | null = null;
    do {
      const page = await moduleRef.get(TimeSeriesRepository).readSlice(kind, id, slice, { fetchSize: 5000, pageState });
      points.push(...page.points);
      pageState = page.pageState;
    } while (pageState !== null);
  }
  return points.map((point) => [point.ts.toISOString(), point.price]);
}

async function missingBars(moduleRef: TestingModule, target: SeriesTarget, from: string, to: string) {
  const entry = await moduleRef.get(CatalogRepository).get(target.kind, target.seriesId);
  const calendar = entry === null ? null : catalogCalendar(entry.meta);
  if (entry === null || calendar === null) throw new Error('no calendar');
  const zone = parseTimeZone(entry.meta.timezone ?? 'UTC');
  const series = { kind: target.kind, seriesId: target.seriesId, calendar, interval: target.interval, zone };
  const days = await moduleRef.get(CoverageReader).coverage(series, new Date(from), new Date(to), 60);
  return days.flatMap((day) => day.missing).map((range) => [new Date(range.fromMs).toISOString(), range.bars]);
}

/** Deletes base rows as an operator's mistake or a lost write would, then recomputes their days' rollups. */
async function deleteBars(moduleRef: TestingModule, keyspace: Keyspace, target: SeriesTarget, times: readonly Date[]) {
  const client = await adminClient(keyspace.config);
  try {
    for (const ts of times) {
      await client.execute(
        `DELETE FROM ${keyspace.config.keyspace}.asset_timeseries WHERE asset_id = ? AND bucket = ? AND ts = ?`,
        [target.seriesId, ts.toISOString().slice(0, 7), ts],
        { prepare: true },
      );
    }
  } finally {
    await client.shutdown();
  }
  const maintainer = new RollupMaintainer(moduleRef.get(TimeSeriesRepository), moduleRef.get(RollupRepository), 4);
  const zone = parseTimeZone('America/New_York');
  for (const ts of times) await maintainer.rebuild(target.kind, target.seriesId, zone, ts, new Date(ts.getTime() + 1));
}

/**
 * Gap healing on real Cassandra: holes found against the exchange calendar are re-fetched
 * through the ingest path until coverage is complete and the rows equal the provider's;
 * what a provider answers empty is recorded and not asked for again.
 */
describe('gap healing (real Cassandra)', () => {
  let keyspace: Keyspace;
  let fake: FakePriceServer;
  let moduleRef: TestingModule;

  beforeAll(async () => {
    keyspace = await migratedKeyspace('it_heal');
    fake = await FakePriceServer.start();
    moduleRef = await healerModule(keyspace, { BINANCE_BASE_URL: fake.baseUrl });
  }, 300_000); // migrations take minutes on a busy shared node

  afterAll(async () => {
    await moduleRef?.close();
    await fake?.stop();
    await keyspace?.drop();
  });

  it('heals deleted synthetic bars until coverage is complete and the rows equal the provider’s', async () => {
    const target: SeriesTarget = {
      kind: 'asset',
      seriesId: 'HEAL',
      provider: 'synthetic',
      symbol: 'HEAL',
      interval: '1m',
    };
    const window = { from: new Date('2025-07-01T00:00:00Z'), to: new Date('2025-07-09T00:00:00Z') };
    await moduleRef.get(IngestService).ingest(target, window);
    const provider = [
      ...generateSyntheticBars({ seed: 'market-warehouse', symbol: 'HEAL' }, { ...window, interval: '1m' }),
    ];
    const gone = provider
      .filter((_, index) => index % 97 === 5 || (index >= 1000 && index < 1012))
      .map((bar) => bar.ts);
    await deleteBars(moduleRef, keyspace, target, gone);
    expect(await missingBars(moduleRef, target, '2025-07-01', '2025-07-08T23:59:59Z')).not.toEqual([]);

    const summary = await moduleRef.get(HealService).heal(target, window);
    expect(summary).toMatchObject({ missingBefore: gone.length, healed: gone.length, confirmedEmpty: 0, openAfter: 0 });
    expect(await missingBars(moduleRef, target, '2025-07-01', '2025-07-08T23:59:59Z')).toEqual([]);
    expect(await storedBars(moduleRef, 'asset', 'HEAL', '2025-07-01', '2025-07-08T23:59:59Z')).toEqual(
      provider.map((bar) => [bar.ts.toISOString(), bar.close]),
    );
  }, 120_000);

  it('records ranges a fake-server provider answers empty and does not ask for them again', async () => {
    const emptyFrom = Date.parse('2025-07-02T05:00:00Z');
    const emptyTo = Date.parse('2025-07-02T07:00:00Z');
    const dropped = new Set([Date.parse('2025-07-01T10:00:00Z'), Date.parse('2025-07-03T23:00:00Z')]);
    let serveDropped = false;
    fake.answer((url) => {
      const start = Number(url.searchParams.get('startTime'));
      const end = Number(url.searchParams.get('endTime'));
      const klines = [];
      for (let open = Math.ceil(start / HOUR) * HOUR; open <= end; open += HOUR) {
        if (open >= emptyFrom && open <= emptyTo) continue;
        if (dropped.has(open) && !serveDropped) continue;
        const price = (100 + ((open / HOUR) % 50)).toFixed(2);
        klines.push([open, price, price, price, price, '1.5', open + HOUR - 1, '150', 3, '0.5', '50', '0']);
      }
      return { status: 200, body: JSON.stringify(klines) };
    });
    const target: SeriesTarget = {
      kind: 'asset',
      seriesId: 'BTCH',
      provider: 'binance',
      symbol: 'BTCUSDT',
      interval: '1h',
    };
    const window = { from: new Date('2025-07-01T00:00:00Z'), to: new Date('2025-07-04T00:00:00Z') };
    await moduleRef.get(IngestService).ingest(target, window);
    expect(await missingBars(moduleRef, target, '2025-07-01', '2025-07-03T23:59:59Z')).toEqual([
      ['2025-07-01T10:00:00.000Z', 1],
      ['2025-07-02T05:00:00.000Z', 3],
      ['2025-07-03T23:00:00.000Z', 1],
    ]);

    serveDropped = true;
    const first = await moduleRef.get(HealService).heal(target, window);
    expect(first).toMatchObject({ ranges: 3, missingBefore: 5, healed: 2, confirmedEmpty: 3, openAfter: 0 });
    expect(await missingBars(moduleRef, target, '2025-07-01', '2025-07-03T23:59:59Z')).toEqual([
      ['2025-07-02T05:00:00.000Z', 3],
    ]);
    const requestsBefore = fake.requests.length;
    const again = await moduleRef.get(HealService).heal(target, window);
    expect(again).toMatchObject({ ranges: 0, skippedEmpty: 3, healed: 0, openAfter: 0 });
    expect(fake.requests.length).toBe(requestsBefore);
  }, 120_000);

  it('heals after each job run over the look-back window only, and reports the open gap bars per job', async () => {
    const job: JobDefinition = {
      id: 'it-heal-job',
      kind: 'asset',
      seriesId: 'HEALJOB',
      provider: 'synthetic',
      symbol: 'HEALJOB',
      interval: '1m',
      everySeconds: 60,
      backfillFrom: '2025-06-25',
      lookbackMinutes: 0,
      meta: {},
    };
    const runner = moduleRef.get(JobRunner);
    expect(await runner.run(job, new Date('2025-07-09T00:00:00Z'))).toBe('ran');
    const provider = [
      ...generateSyntheticBars(
        { seed: 'market-warehouse', symbol: 'HEALJOB' },
        { from: new Date('2025-06-25T00:00:00Z'), to: new Date('2025-07-09T00:00:00Z'), interval: '1m' },
      ),
    ];
    // Two runs inside the next run's 7-day look-back (2025-07-02..09) and one bar before it.
    const inside = provider
      .filter((bar) => bar.ts >= new Date('2025-07-07T00:00:00Z'))
      .filter((_, index) => index === 3 || (index >= 200 && index < 205));
    const before = provider.filter((bar) => bar.ts < new Date('2025-07-01T00:00:00Z')).slice(50, 51);
    await deleteBars(
      moduleRef,
      keyspace,
      job,
      [...inside, ...before].map((bar) => bar.ts),
    );
    expect(await missingBars(moduleRef, job, '2025-06-25', '2025-07-08T23:59:59Z')).toHaveLength(3);

    expect(await runner.run(job, new Date('2025-07-09T00:05:00Z'))).toBe('ran');
    // The look-back's gaps are healed; the bar before it is no business of this run.
    expect(await missingBars(moduleRef, job, '2025-06-25', '2025-07-08T23:59:59Z')).toEqual([
      [before[0]?.ts.toISOString(), 1],
    ]);
    const kept = new Set(before.map((bar) => bar.ts.getTime()));
    expect(await storedBars(moduleRef, 'asset', 'HEALJOB', '2025-07-01', '2025-07-08T23:59:59Z')).toEqual(
      provider
        .filter((bar) => bar.ts >= new Date('2025-07-01T00:00:00Z') && !kept.has(bar.ts.getTime()))
        .map((bar) => [bar.ts.toISOString(), bar.close]),
    );
    const registry = moduleRef.get(MetricsRegistry);
    expect(await registry.getSingleMetricAsString('heal_open_gap_bars')).toContain(
      'heal_open_gap_bars{job_id="it-heal-job"} 0',
    );
    expect(await registry.getSingleMetricAsString('heal_ranges_total')).toContain(
      'heal_ranges_total{job_id="it-heal-job",outcome="healed"} 2',
    );
  }, 180_000);
});
