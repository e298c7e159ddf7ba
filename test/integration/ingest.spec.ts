import { type TestingModule } from '@nestjs/testing';
import {
  CatalogRepository,
  DataSourceRepository,
  QuoteRepository,
  type SeriesKind,
  TimeSeriesRepository,
  bucketSlices,
} from '@market/cassandra';
import { IngestService, type SeriesTarget } from '../../apps/ingestor/src/ingest/ingest.service';
import { HealModule } from '../../apps/ingestor/src/heal/heal.module';
import { JobRunner } from '../../apps/ingestor/src/jobs/job-runner';
import type { JobDefinition } from '../../apps/ingestor/src/jobs/jobs-file';
import type { ProviderBar } from '../../apps/ingestor/src/providers/price-provider.interface';
import { generateSyntheticBars } from '../../apps/ingestor/src/providers/synthetic/synthetic.provider';
import { FakePriceServer, jsonFixture } from '../support/fake-price-server';
import { MetricsRegistry } from '@market/observability';
import { ingestorTestModule } from '../support/ingestor-module';
import { migratedKeyspace } from '../support/test-keyspace';

type Keyspace = Awaited<ReturnType<typeof migratedKeyspace>>;

/** One ingestor "process": its own module, session, provider registry and lease owner. */
function ingestorModule(keyspace: Keyspace, env: Record<string, string>): Promise<TestingModule> {
  return ingestorTestModule(keyspace.config.keyspace, env, { imports: [HealModule], providers: [JobRunner] });
}

async function allPoints(moduleRef: TestingModule, kind: SeriesKind, id: string, from: string, to: string) {
  const repository = moduleRef.get(TimeSeriesRepository);
  const points = [];
  for (const slice of bucketSlices(new Date(from), new Date(to))) {
    let pageState: string | null = null;
    do {
      const page = await repository.readSlice(kind, id, slice, { fetchSize: 5000, pageState });
      points.push(...page.points);
      pageState = page.pageState;
    } while (pageState !== null);
  }
  return points;
}

const synthetic = (seriesId: string, extra: Partial<SeriesTarget> = {}): SeriesTarget => ({
  kind: 'asset',
  seriesId,
  provider: 'synthetic',
  symbol: seriesId,
  interval: '1m',
  ...extra,
});

const syntheticCount = (symbol: string, from: string, to: string) =>
  [
    ...generateSyntheticBars(
      { seed: 'market-warehouse', symbol },
      { from: new Date(from), to: new Date(to), interval: '1m' },
    ),
  ].length;

describe('ingest path against real Cassandra', () => {
  let keyspace: Keyspace;
  let fake: FakePriceServer;
  let moduleRef: TestingModule;
  let ingest: IngestService;

  beforeAll(async () => {
    keyspace = await migratedKeyspace('it_ingest');
    fake = await FakePriceServer.start();
    moduleRef = await ingestorModule(keyspace, {
      YAHOO_BASE_URL: fake.baseUrl,
      YAHOO_SESSION_URL: `${fake.baseUrl}/consent`,
    });
    ingest = moduleRef.get(IngestService);
  });

  afterAll(async () => {
    await moduleRef.close();
    await fake.stop();
    await keyspace.drop();
  });

  it('ingests Yahoo chart bars and reads back the exact open, high, low and close', async () => {
    fake.reply(jsonFixture('yahoo', 'aapl-1m.json'));
    const summary = await ingest.ingest(
      { kind: 'asset', seriesId: 'AAPL', provider: 'yahoo', symbol: 'AAPL', interval: '1m', name: 'Apple Inc.' },
      { from: new Date('2025-08-01T13:30:00Z'), to: new Date('2025-08-01T13:40:00Z') },
    );
    expect(summary.written).toBeGreaterThan(0);
    const points = await allPoints(moduleRef, 'asset', 'AAPL', '2025-08-01T00:00:00Z', '2025-08-01T23:59:59.999Z');
    expect(points).toHaveLength(summary.written);
    expect(points[0]).toEqual({
      ts: new Date('2025-08-01T13:30:00Z'),
      price: '210.90',
      open: '210.87',
      high: '211.05',
      low: '210.50',
      volume: 2167314,
      sourceId: 'yahoo',
    });
    expect(await moduleRef.get(CatalogRepository).get('asset', 'AAPL')).toMatchObject({
      symbol: 'AAPL',
      name: 'Apple Inc.',
      meta: { interval: '1m', source: 'yahoo', timezone: 'America/New_York' },
    });
    expect((await moduleRef.get(DataSourceRepository).list()).map((source) => source.sourceId)).toContain('yahoo');
  });

  it('changes nothing when the same window is ingested again', async () => {
    const window = { from: new Date('2025-08-04T00:00:00Z'), to: new Date('2025-08-06T00:00:00Z') };
    await ingest.ingest(synthetic('IDEM'), window);
    const first = await allPoints(moduleRef, 'asset', 'IDEM', '2025-08-01T00:00:00Z', '2025-08-31T23:59:59.999Z');
    await ingest.ingest(synthetic('IDEM'), window);
    const second = await allPoints(moduleRef, 'asset', 'IDEM', '2025-08-01T00:00:00Z', '2025-08-31T23:59:59.999Z');
    expect(first).toHaveLength(syntheticCount('IDEM', '2025-08-04T00:00:00Z', '2025-08-06T00:00:00Z'));
    expect(second).toEqual(first);
  });

  it('keeps the latest quote at the newest bar when older data is backfilled afterwards', async () => {
    await ingest.ingest(synthetic('ORDER'), {
      from: new Date('2025-08-05T00:00:00Z'),
      to: new Date('2025-08-06T00:00:00Z'),
    });
    const newest = await moduleRef.get(QuoteRepository).latest('ORDER');
    await ingest.ingest(synthetic('ORDER'), {
      from: new Date('2025-07-01T00:00:00Z'),
      to: new Date('2025-08-05T00:00:00Z'),
    });
    expect(await moduleRef.get(QuoteRepository).latest('ORDER')).toEqual(newest);
    expect(newest?.ts).toEqual(new Date('2025-08-05T19:59:00Z'));
  });

  it('counts bad bars by reason and never writes them', async () => {
    const bar = (iso: string, close: string | null, extra: Partial<ProviderBar> = {}): ProviderBar => ({
      ts: new Date(iso),
      open: null,
      high: null,
      low: null,
      close,
      volume: '10',
      ...extra,
    });
    async function* bars() {
      await Promise.resolve(); // a stream, as a CSV file is
      yield bar('2025-08-01T13:30:00Z', '10.00');
      yield bar('2025-08-01T13:31:00Z', '-1.00');
      yield bar('2025-08-01T13:32:00Z', null);
      yield bar('2025-08-01T13:30:00Z', '11.00'); // duplicate ts
      yield bar('2025-08-01T13:33:00Z', '10.50', { volume: '-5' });
      yield bar('2025-08-01T13:34:00Z', '10.50', { open: '10.00', high: '10.20', low: '10.10' });
      yield bar('2999-01-01T00:00:00Z', '10.00');
    }
    const summary = await ingest.ingest(
      { kind: 'asset', seriesId: 'DIRTY', provider: 'csv', symbol: 'DIRTY', interval: '1m' },
      { from: new Date('2025-01-01T00:00:00Z'), to: new Date('9999-01-01T00:00:00Z') },
      { bars: bars() },
    );
    expect(summary.written).toBe(1);
    expect(summary.rejected).toEqual({
      non_positive_price: 1,
      missing_close: 1,
      duplicate_ts: 1,
      negative_volume: 1,
      ohlc_inconsistent: 1,
      future_ts: 1,
    });
    const points = await allPoints(moduleRef, 'asset', 'DIRTY', '2025-08-01T00:00:00Z', '2025-08-01T23:59:59.999Z');
    expect(points.map((point) => point.price)).toEqual(['10.00']);
  });

  describe('jobs', () => {
    const job: JobDefinition = {
      id: 'it-job',
      kind: 'asset',
      seriesId: 'JOB',
      provider: 'synthetic',
      symbol: 'JOB',
      interval: '1m',
      everySeconds: 60,
      backfillFrom: '2025-08-04',
      lookbackMinutes: 0,
      meta: {},
    };

    it('runs a job in exactly one of two ingestor processes at a time', async () => {
      const other = await ingestorModule(keyspace, {});
      try {
        const now = new Date('2025-08-06T00:00:00Z');
        const outcomes = await Promise.all([
          moduleRef.get(JobRunner).run(job, now),
          other.get(JobRunner).run(job, now),
        ]);
        // Never both. (Under Paxos contention neither may win this round; the next tick runs it.)
        expect(outcomes.filter((outcome) => outcome === 'ran').length).toBeLessThanOrEqual(1);
        // The other saw the lease held, or (if the first had already finished) nothing left to do.
        for (const outcome of outcomes) expect(['ran', 'leased-elsewhere', 'up-to-date', 'failed']).toContain(outcome);
        if (!outcomes.includes('ran')) expect(await other.get(JobRunner).run(job, now)).toBe('ran');
        expect(await other.get(JobRunner).run(job, now)).toBe('up-to-date');
        const points = await allPoints(moduleRef, 'asset', 'JOB', '2025-08-01T00:00:00Z', '2025-08-31T23:59:59.999Z');
        expect(points).toHaveLength(syntheticCount('JOB', '2025-08-04T00:00:00Z', '2025-08-06T00:00:00Z'));
      } finally {
        await other.close();
      }
    });

    it('resumes from its checkpoint after a restart: the next day only, no gap, nothing twice', async () => {
      const restarted = await ingestorModule(keyspace, {});
      try {
        const summaries: number[] = [];
        const service = restarted.get(IngestService);
        const original = service.ingest.bind(service);
        jest.spyOn(service, 'ingest').mockImplementation(async (...args) => {
          const summary = await original(...args);
          summaries.push(summary.written);
          return summary;
        });
        expect(await restarted.get(JobRunner).run(job, new Date('2025-08-07T00:00:00Z'))).toBe('ran');
        expect(summaries).toEqual([syntheticCount('JOB', '2025-08-06T00:00:00Z', '2025-08-07T00:00:00Z')]);
        const points = await allPoints(moduleRef, 'asset', 'JOB', '2025-08-01T00:00:00Z', '2025-08-31T23:59:59.999Z');
        expect(points).toHaveLength(syntheticCount('JOB', '2025-08-04T00:00:00Z', '2025-08-07T00:00:00Z'));
      } finally {
        await restarted.close();
      }
    });

    it('reports a failing job without throwing, and keeps other jobs running', async () => {
      // Yahoo refuses the request, and again with a fresh session (cookie and crumb).
      fake.answer((url) => {
        if (url.pathname === '/consent') return { status: 404, headers: { 'set-cookie': 'A3=d=AQAB; Path=/' } };
        if (url.pathname === '/v1/test/getcrumb') return { body: 'crumb' };
        return { status: 401, body: '{"finance":{"error":{"code":"Unauthorized","description":"Invalid Crumb"}}}' };
      });
      const broken: JobDefinition = {
        ...job,
        id: 'it-broken',
        seriesId: 'BROKEN',
        provider: 'yahoo',
        symbol: 'BROKEN',
      };
      const runner = moduleRef.get(JobRunner);
      const now = new Date('2025-08-05T00:00:00Z');
      const [brokenOutcome, healthyOutcome] = await Promise.all([
        runner.run(broken, now),
        runner.run({ ...job, id: 'it-healthy', seriesId: 'HEALTHY', symbol: 'HEALTHY' }, now),
      ]);
      expect([brokenOutcome, healthyOutcome]).toEqual(['failed', 'ran']);
      const requests = await moduleRef.get(MetricsRegistry).getSingleMetricAsString('provider_requests_total');
      expect(requests).toContain('provider_requests_total{provider="yahoo",outcome="auth_failed"} 1');
      expect(requests).toMatch(/provider_requests_total\{provider="synthetic",outcome="ok"\} [1-9]/);
      // The failed job released its lease: the next tick can take it at once.
      expect(await moduleRef.get(JobRunner).run({ ...broken, provider: 'synthetic' }, now)).toBe('ran');
    });
  });
});
