import { type TestingModule } from '@nestjs/testing';
import { CatalogRepository, TimeSeriesRepository, bucketSlices } from '@market/cassandra';
import { MetricsRegistry } from '@market/observability';
import { SeriesIntervalError } from '../../apps/ingestor/src/ingest/ingest-errors';
import { IngestService, type SeriesTarget } from '../../apps/ingestor/src/ingest/ingest.service';
import { HealModule } from '../../apps/ingestor/src/heal/heal.module';
import { JobRunner } from '../../apps/ingestor/src/jobs/job-runner';
import { ingestorTestModule } from '../support/ingestor-module';
import type { JobDefinition } from '../../apps/ingestor/src/jobs/jobs-file';
import type { ProviderBar } from '../../apps/ingestor/src/providers/price-provider.interface';
import { migratedKeyspace } from '../support/test-keyspace';

type Keyspace = Awaited<ReturnType<typeof migratedKeyspace>>;

const synthetic = (seriesId: string, interval: SeriesTarget['interval']): SeriesTarget => ({
  kind: 'asset',
  seriesId,
  provider: 'synthetic',
  symbol: seriesId,
  interval,
});
const augustWeek = { from: new Date('2025-08-04T00:00:00Z'), to: new Date('2025-08-06T00:00:00Z') };

describe('one stored interval per series, against real Cassandra', () => {
  let keyspace: Keyspace;
  let moduleRef: TestingModule;
  let ingest: IngestService;

  /** Every stored bar of an asset in August 2025, as `ts price`. */
  async function august(id: string): Promise<string[]> {
    const repository = moduleRef.get(TimeSeriesRepository);
    const rows: string[] = [];
    for (const slice of bucketSlices(new Date('2025-08-01T00:00:00Z'), new Date('2025-08-31T23:59:59.999Z'))) {
      let pageState: string | null = null;
      do {
        const page = await repository.readSlice('asset', id, slice, { fetchSize: 5000, pageState });
        rows.push(...page.points.map((point) => `${point.ts.toISOString()} ${point.price}`));
        pageState = page.pageState;
      } while (pageState !== null);
    }
    return rows;
  }

  beforeAll(async () => {
    keyspace = await migratedKeyspace('it_interval');
    moduleRef = await ingestorTestModule(
      keyspace.config.keyspace,
      {},
      { imports: [HealModule], providers: [JobRunner] },
    );
    ingest = moduleRef.get(IngestService);
  });

  afterAll(async () => {
    await moduleRef.close();
    await keyspace.drop();
  });

  it('refuses a backfill at another interval than the stored one, writing nothing and keeping the catalog', async () => {
    await ingest.ingest(synthetic('ONE', '1m'), augustWeek);
    const before = await august('ONE');
    expect(before.length).toBeGreaterThan(0);
    // What `ingestor backfill --interval 5m` runs.
    const refused = ingest.ingest(synthetic('ONE', '5m'), augustWeek);
    await expect(refused).rejects.toBeInstanceOf(SeriesIntervalError);
    await expect(refused).rejects.toThrow(
      'asset ONE is stored at interval 1m: refusing to write 5m bars into it (a series holds one interval; nothing was written)',
    );
    expect(await august('ONE')).toEqual(before);
    expect((await moduleRef.get(CatalogRepository).get('asset', 'ONE'))?.meta.interval).toBe('1m');
  });

  it('refuses an import at another interval before reading a single bar of it', async () => {
    await ingest.ingest(synthetic('DAILY', '1d'), augustWeek);
    const before = await august('DAILY');
    let pulled = 0;
    async function* bars(): AsyncGenerator<ProviderBar> {
      await Promise.resolve();
      pulled += 1;
      yield { ts: new Date('2025-08-07T13:30:00Z'), open: null, high: null, low: null, close: '1.00', volume: '1' };
    }
    await expect(
      ingest.ingest(
        { kind: 'asset', seriesId: 'DAILY', provider: 'csv', symbol: 'x.csv', interval: '1m' },
        { from: new Date('0001-01-01T00:00:00Z'), to: new Date('9999-12-31T00:00:00Z') },
        { bars: bars() },
      ),
    ).rejects.toThrow('asset DAILY is stored at interval 1d: refusing to write 1m bars');
    expect(pulled).toBe(0);
    expect(await august('DAILY')).toEqual(before);
  });

  it('fails a job at another interval, counted as failed, with nothing written and no checkpoint', async () => {
    const job: JobDefinition = {
      ...synthetic('ONE', '15m'),
      id: 'it-wrong-interval',
      everySeconds: 60,
      backfillFrom: '2025-08-04',
      lookbackMinutes: 0,
      meta: {},
    };
    const before = await august('ONE');
    expect(await moduleRef.get(JobRunner).run(job, new Date('2025-08-08T00:00:00Z'))).toBe('failed');
    const runs = await moduleRef.get(MetricsRegistry).getSingleMetricAsString('ingest_job_runs_total');
    expect(runs).toContain('ingest_job_runs_total{job_id="it-wrong-interval",outcome="failed"} 1');
    expect(await august('ONE')).toEqual(before);
    const checkpoint = await keyspace.admin.execute(
      "SELECT last_ts FROM ingest_checkpoints WHERE source_id = 'synthetic' AND series_kind = 'asset' AND series_id = 'ONE'",
    );
    expect(checkpoint.rowLength).toBe(0);
  });

  it('lets the stored interval be written again, and a new series take any interval', async () => {
    await expect(ingest.ingest(synthetic('ONE', '1m'), augustWeek)).resolves.toBeDefined();
    await ingest.ingest(synthetic('FIVE', '5m'), augustWeek);
    expect((await moduleRef.get(CatalogRepository).get('asset', 'FIVE'))?.meta.interval).toBe('5m');
  });
});
