/**
 * Phase (b), run in a process of its own so its peak RSS is the ingestor path's alone:
 * the ingestor's production classes, wired by hand (tsx emits no decorator metadata, so
 * Nest cannot inject them), ingesting every asset of the plan as `npm run ingest --
 * backfill` does: IngestService fetches one day of bars per request from the synthetic
 * provider, validates it (validateBars) and hands it to the SeriesWriter (single-partition
 * UNLOGGED batches of WRITE_BATCH_ROWS, at most WRITE_CONCURRENCY in flight per call,
 * then the latest-quote offer). BENCH_JOBS assets run at once, as that many jobs would.
 *
 * Reads its settings from the environment exactly as the ingestor does (loadIngestorConfig),
 * and sends its result to the parent over IPC.
 */
import { Logger } from '@nestjs/common';
import {
  CassandraSession,
  CatalogRepository,
  DataSourceRepository,
  IngestStateRepository,
  PartitionChangeRepository,
  QuoteRepository,
  SeriesExtentRepository,
  RollupRepository,
  SeriesWriter,
  TimeSeriesRepository,
  forEachBounded,
} from '@market/cassandra';
import { loadIngestorConfig } from '../../apps/ingestor/src/config/ingestor.config';
import { IngestService } from '../../apps/ingestor/src/ingest/ingest.service';
import { ProviderRegistry } from '../../apps/ingestor/src/providers/provider-registry';
import { SyntheticProvider } from '../../apps/ingestor/src/providers/synthetic/synthetic.provider';
import { benchPlan, pointsFromEnv } from './bench-plan';
import { cpuMsSince, localCassandraPid, processCpuMs } from '../cpu-time';
import type { PhaseResult } from './raw-driver.phase';
import { MetricsRegistry } from '@market/observability';
import { IngestMetrics } from '../../apps/ingestor/src/ingest/ingest-metrics';

const DEFAULT_JOBS = 8;

/** What the child reports to the parent. */
export interface IngestorPathResult extends PhaseResult {
  readonly rejected: number;
  readonly maxRssKb: number;
  readonly jobs: number;
  readonly writes: { readonly concurrency: number; readonly batchRows: number };
}

function jobsFromEnv(): number {
  const jobs = Number(process.env.BENCH_JOBS ?? DEFAULT_JOBS);
  if (!Number.isInteger(jobs) || jobs < 1) throw new Error(`BENCH_JOBS must be a whole number >= 1`);
  return jobs;
}

async function main(): Promise<void> {
  // Warnings (a rejected bar) and errors still show; the connect line would only clutter the report.
  Logger.overrideLogger(['warn', 'error']);
  const plan = benchPlan(pointsFromEnv());
  const jobs = jobsFromEnv();
  const config = loadIngestorConfig(process.env);
  const session = new CassandraSession(config.cassandra);
  await session.onModuleInit();
  try {
    const writer = new SeriesWriter(
      new TimeSeriesRepository(session),
      new QuoteRepository(session),
      new SeriesExtentRepository(session),
      new RollupRepository(session),
      config.writes,
      new PartitionChangeRepository(session),
    );
    const ingest = new IngestService(
      new ProviderRegistry([new SyntheticProvider(config.providers.synthetic)]),
      writer,
      new CatalogRepository(session),
      new DataSourceRepository(session),
      new IngestStateRepository(session),
      new IngestMetrics(new MetricsRegistry()),
    );
    let rows = 0;
    let rejected = 0;
    const serverPid = localCassandraPid(config.cassandra.contactPoints);
    const serverBefore = processCpuMs(serverPid);
    const clientBefore = process.cpuUsage();
    const started = performance.now();
    await forEachBounded(plan.assets, jobs, async (asset) => {
      const summary = await ingest.ingest(
        { kind: 'asset', seriesId: asset, provider: 'synthetic', symbol: asset, interval: '1m' },
        plan.window,
      );
      rows += summary.written;
      rejected += Object.values(summary.rejected).reduce((total, count) => total + count, 0);
    });
    const ms = performance.now() - started;
    const clientCpu = process.cpuUsage(clientBefore);
    const result: IngestorPathResult = {
      rows,
      rejected,
      ms,
      clientCpuMs: (clientCpu.user + clientCpu.system) / 1000,
      serverCpuMs: cpuMsSince(serverPid, serverBefore),
      maxRssKb: process.resourceUsage().maxRSS,
      jobs,
      writes: config.writes,
    };
    if (process.send === undefined) console.log(JSON.stringify(result));
    else process.send(result);
  } finally {
    await session.onApplicationShutdown();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
