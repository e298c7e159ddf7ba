import { Injectable } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { MetricsRegistry } from '@market/observability';

/** How one missing range ended: all bars fetched, the provider had none, some, or every attempt failed. */
export type HealOutcome = 'healed' | 'empty' | 'partial' | 'failed';

/**
 * Gap healing's metrics: open gap bars per job (the alert's input), provider attempts and
 * range outcomes. `job` is a job id of the jobs file, or `cli` for `ingestor heal`.
 */
@Injectable()
export class HealMetrics {
  private readonly openGapBars: Gauge<'job_id'>;
  private readonly attempts: Counter<'job_id' | 'outcome'>;
  private readonly ranges: Counter<'job_id' | 'outcome'>;

  constructor(registry: MetricsRegistry) {
    const registers = [registry];
    this.openGapBars = new Gauge({
      name: 'heal_open_gap_bars',
      help: 'Expected bars still missing in the look-back window after the last heal, not confirmed empty, by job.',
      labelNames: ['job_id'],
      registers,
    });
    this.attempts = new Counter({
      name: 'heal_attempts_total',
      help: 'Re-fetches of missing ranges from the provider, by job and outcome (ok or error).',
      labelNames: ['job_id', 'outcome'],
      registers,
    });
    this.ranges = new Counter({
      name: 'heal_ranges_total',
      help: 'Missing ranges healing worked on, by job and outcome (healed, empty, partial, failed).',
      labelNames: ['job_id', 'outcome'],
      registers,
    });
  }

  attempt(jobId: string, outcome: 'ok' | 'error'): void {
    this.attempts.inc({ job_id: jobId, outcome });
  }

  range(jobId: string, outcome: HealOutcome): void {
    this.ranges.inc({ job_id: jobId, outcome });
  }

  openGaps(jobId: string, bars: number): void {
    this.openGapBars.set({ job_id: jobId }, bars);
  }
}
