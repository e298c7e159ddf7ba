import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { IngestStateRepository } from '@market/cassandra';
import { ingestorConfig } from '../config/ingestor.config';
import { HealService } from '../heal/heal.service';
import { IngestMetrics } from '../ingest/ingest-metrics';
import { IngestService, completedBarsEnd } from '../ingest/ingest.service';
import { ActionsIngestService } from '../actions/actions-ingest.service';
import { type JobDefinition, backfillStart } from './jobs-file';

export type JobOutcome = 'ran' | 'up-to-date' | 'already-running' | 'leased-elsewhere' | 'stopped' | 'failed';

/** The lease was lost mid-run (it expired and another replica took it): stop writing. */
class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
}

/**
 * Runs one job once: takes its lease (so no other replica runs it at the same time),
 * resumes from its checkpoint, ingests up to the last complete bar, releases the lease.
 * A failing job is logged and reported; it never stops the others.
 */
@Injectable()
export class JobRunner {
  private readonly logger = new Logger(JobRunner.name);
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly running = new Map<string, Promise<JobOutcome>>();
  private readonly shutdown = new AbortController();

  constructor(
    private readonly ingest: IngestService,
    private readonly state: IngestStateRepository,
    private readonly metrics: IngestMetrics,
    @Inject(ingestorConfig.KEY) private readonly config: ConfigType<typeof ingestorConfig>,
    private readonly healer: HealService,
    private readonly actionsIngest: ActionsIngestService,
  ) {}

  /** Runs the job unless this process is already running it. */
  run(job: JobDefinition, now = new Date()): Promise<JobOutcome> {
    const inFlight = this.running.get(job.id);
    if (inFlight !== undefined) return Promise.resolve('already-running');
    const run = this.runLeased(job, now)
      .then((outcome) => {
        this.metrics.jobFinished(job.id, outcome);
        if (outcome === 'ran' || outcome === 'up-to-date') this.metrics.jobSucceeded(job.id);
        return outcome;
      })
      .finally(() => this.running.delete(job.id));
    this.running.set(job.id, run);
    return run;
  }

  /**
   * Seeds the "last success" gauge from a job's checkpoint at start-up, so staleness is
   * measured from the data actually written, not from this process's start.
   */
  async seedLastSuccess(job: JobDefinition): Promise<void> {
    const checkpoint = await this.state.checkpoint(this.ingest.checkpointKey(job));
    if (checkpoint !== null) this.metrics.jobSucceeded(job.id, checkpoint);
  }

  /** Stops starting new chunks and waits for the runs in flight to finish their current one. */
  async drain(): Promise<void> {
    this.shutdown.abort(new Error('the ingestor is shutting down'));
    await Promise.allSettled(this.running.values());
  }

  /** The window's splits and dividends, with its bars; a failure is logged, the bars stay written. */
  private async refreshActions(job: JobDefinition, window: { readonly from: Date; readonly to: Date }): Promise<void> {
    try {
      const refresh = await this.actionsIngest.refresh(job, window, this.shutdown.signal);
      if (refresh !== null && refresh.written + refresh.rejected > 0) {
        this.logger.log(`job ${job.id}: ${refresh.written} corporate actions stored, ${refresh.rejected} rejected`);
      }
    } catch (error) {
      this.logger.warn(
        `job ${job.id}: corporate actions not refreshed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  private async runLeased(job: JobDefinition, now: Date): Promise<JobOutcome> {
    if (this.shutdown.signal.aborted) return 'failed';
    const leaseSeconds = this.config.jobs.leaseSeconds;
    try {
      if (!(await this.state.takeLease(job.id, this.owner, leaseSeconds))) return 'leased-elsewhere';
    } catch (error) {
      this.logger.error(`job ${job.id}: cannot take its lease: ${String(error)}`);
      return 'failed';
    }
    try {
      const checkpoint = await this.state.checkpoint(this.ingest.checkpointKey(job));
      const from =
        checkpoint === null ? backfillStart(job, now) : new Date(checkpoint.getTime() - job.lookbackMinutes * 60_000);
      const to = completedBarsEnd(now, job.interval);
      if (from >= to) return 'up-to-date';
      const summary = await this.ingest.ingest(
        job,
        { from, to },
        {
          checkpoint: true,
          signal: this.shutdown.signal,
          beforeChunk: async () => {
            if (!(await this.state.renewLease(job.id, this.owner, leaseSeconds)))
              throw new LeaseLostError(`job ${job.id} lost its lease`);
          },
        },
      );
      this.logger.log(
        `job ${job.id}: ${summary.written} rows written, ${Object.values(summary.rejected).reduce((a, b) => a + b, 0)} rejected, ` +
          `${from.toISOString()} → ${to.toISOString()} in ${summary.durationMs} ms`,
      );
      // Actions over the job's whole span, not this run's: a series stored before actions were
      // kept (or an action reported late) gets them too; every provider answers it in one or two calls.
      await this.refreshActions(job, { from: backfillStart(job, now), to });
      await this.healLookBack(job, backfillStart(job, now), to);
      return 'ran';
    } catch (error) {
      if (this.shutdown.signal.aborted) {
        this.logger.log(`job ${job.id} stopped for shutdown; it resumes from its checkpoint on the next start`);
        return 'stopped';
      }
      this.logger.error(`job ${job.id} failed: ${error instanceof Error ? error.message : String(error)}`);
      return 'failed';
    } finally {
      await this.state.releaseLease(job.id, this.owner).catch((error: unknown) => {
        this.logger.warn(`job ${job.id}: lease not released (it expires by itself): ${String(error)}`);
      });
    }
  }

  /**
   * Gap healing over the look-back window (HEAL_LOOKBACK_DAYS) after a run, never before the
   * job's own start (`backfillFrom`: what lies before it is no gap of this job's); its failure
   * never fails the job.
   */
  private async healLookBack(job: JobDefinition, jobStart: Date, to: Date): Promise<void> {
    const days = this.config.heal.lookbackDays;
    if (days === 0) return;
    const from = new Date(Math.max(to.getTime() - days * 86_400_000, jobStart.getTime()));
    if (from >= to) return;
    const window = { from, to };
    try {
      const healed = await this.healer.heal(job, window, job.id, this.shutdown.signal);
      if (healed !== null && healed.ranges > 0) {
        this.logger.log(
          `job ${job.id}: healed ${healed.healed} of ${healed.missingBefore} missing bars, ` +
            `${healed.confirmedEmpty} confirmed empty, ${healed.openAfter} still open`,
        );
      }
    } catch (error) {
      if (this.shutdown.signal.aborted) throw error;
      this.logger.warn(`job ${job.id}: gap healing failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
