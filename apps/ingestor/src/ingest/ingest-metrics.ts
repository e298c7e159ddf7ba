import { Injectable } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { MetricsRegistry } from '@market/observability';

/**
 * How one request to a price provider ended: `rate_limited` (429/418 or a throttling body),
 * `unavailable` (5xx, timeout, network error), `auth_failed` (401/403, an invalid key),
 * `unknown_symbol`, `bad_payload` (not the provider's documented format), `error` (anything else).
 */
export type ProviderRequestOutcome =
  'ok' | 'rate_limited' | 'unavailable' | 'auth_failed' | 'unknown_symbol' | 'bad_payload' | 'error';

/**
 * The ingestor's counters: rows written and rejected per source, provider requests per
 * outcome, and when each job last succeeded. Label values must come from bounded sets
 * (source ids, the validator's reject reasons, job ids of the jobs file), never from data.
 */
@Injectable()
export class IngestMetrics {
  private readonly written: Counter<'source'>;
  private readonly rejected: Counter<'source' | 'reason'>;
  private readonly providerRequests: Counter<'provider' | 'outcome'>;
  private readonly lastSuccess: Gauge<'job_id'>;
  private readonly jobRuns: Counter<'job_id' | 'outcome'>;
  private readonly lastSuccessSeconds = new Map<string, number>();

  constructor(registry: MetricsRegistry) {
    const registers = [registry];
    this.written = new Counter({
      name: 'ingest_rows_written_total',
      help: 'Rows durably written to Cassandra, by data source.',
      labelNames: ['source'],
      registers,
    });
    this.rejected = new Counter({
      name: 'ingest_rows_rejected_total',
      help: 'Rows rejected by validation and never written, by data source and reason.',
      labelNames: ['source', 'reason'],
      registers,
    });
    this.providerRequests = new Counter({
      name: 'provider_requests_total',
      help: 'HTTP requests to price providers, retries included, by provider and outcome.',
      labelNames: ['provider', 'outcome'],
      registers,
    });
    this.lastSuccess = new Gauge({
      name: 'ingest_last_success_timestamp_seconds',
      help: 'Unix time of the last successful run of each ingest job; staleness is time() minus this.',
      labelNames: ['job_id'],
      registers,
    });
    this.jobRuns = new Counter({
      name: 'ingest_job_runs_total',
      help: 'Finished runs of each ingest job, by outcome.',
      labelNames: ['job_id', 'outcome'],
      registers,
    });
  }

  /** Counts rows durably written for a source (`count` ≥ 0). */
  rowsWritten(source: string, count: number): void {
    if (isCount(count)) this.written.inc({ source }, count);
  }

  /** Counts rows a source delivered that validation rejected, by reason (`count` ≥ 0). */
  rowsRejected(source: string, reason: string, count = 1): void {
    if (isCount(count)) this.rejected.inc({ source, reason }, count);
  }

  /** Counts one HTTP request to a provider (each retry is a request of its own). */
  providerRequest(provider: string, outcome: ProviderRequestOutcome): void {
    this.providerRequests.inc({ provider, outcome });
  }

  /**
   * Records that a job succeeded at `at` (now by default). Never moves backwards, so the
   * ingestor may seed it at start-up from a job's checkpoint without undoing a newer run.
   */
  jobSucceeded(jobId: string, at: Date = new Date()): void {
    const seconds = at.getTime() / 1000;
    if (!Number.isFinite(seconds) || seconds <= (this.lastSuccessSeconds.get(jobId) ?? -Infinity)) return;
    this.lastSuccessSeconds.set(jobId, seconds);
    this.lastSuccess.set({ job_id: jobId }, seconds);
  }

  /** Counts one finished run of a job (`ran`, `up-to-date`, `failed`, …: the runner's own outcomes). */
  jobFinished(jobId: string, outcome: string): void {
    this.jobRuns.inc({ job_id: jobId, outcome });
  }
}

function isCount(count: number): boolean {
  return Number.isFinite(count) && count >= 0;
}
