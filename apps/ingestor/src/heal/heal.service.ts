import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import {
  CatalogRepository,
  type ConfirmedEmptyRange,
  CoverageReader,
  type CoverageSeries,
  EmptyRangeRepository,
  type MissingRange,
} from '@market/cassandra';
import { barIntervalMs, catalogCalendar, catalogTimeZone, parseTimeZone } from '@market/domain';
import { ingestorConfig } from '../config/ingestor.config';
import { IngestService, type SeriesTarget, type TimeWindow } from '../ingest/ingest.service';
import { type HealOutcome, HealMetrics } from './heal-metrics';

/** What one heal did, in bars of the series' interval. */
export interface HealSummary {
  /** Missing ranges found (runs of consecutive expected bars), those confirmed empty before excluded. */
  readonly ranges: number;
  readonly missingBefore: number;
  readonly healed: number;
  /** Bars the provider answered empty for now (recorded, not asked again). */
  readonly confirmedEmpty: number;
  /** Bars skipped because an earlier heal recorded them empty. */
  readonly skippedEmpty: number;
  readonly failedRanges: number;
  /** Expected bars still missing and not confirmed empty. */
  readonly openAfter: number;
  readonly durationMs: number;
}

/** Bounded work per heal: coverage reads at most this many empty month buckets per session. */
const MAX_EMPTY_BUCKETS = 60;

/**
 * Gap healing (SPEC 13): the coverage of a window against the series' exchange calendar,
 * each missing range re-fetched from the job's provider with bounded attempts and
 * exponential back-off, then the coverage again: what the provider still did not deliver
 * after a successful fetch is recorded as confirmed empty (migration 009) and never asked
 * for again. Writes go through the ingest path (validation, rollups), so a heal
 * interrupted anywhere is simply run again: rows are upserts, nothing duplicates.
 */
@Injectable()
export class HealService {
  private readonly logger = new Logger(HealService.name);

  constructor(
    private readonly ingest: IngestService,
    private readonly catalog: CatalogRepository,
    private readonly coverage: CoverageReader,
    private readonly empties: EmptyRangeRepository,
    private readonly metrics: HealMetrics,
    @Inject(ingestorConfig.KEY) private readonly config: ConfigType<typeof ingestorConfig>,
  ) {}

  /** Heals [from, to) of a series; null when the series has no catalog entry or follows no calendar. */
  async heal(
    target: SeriesTarget,
    window: TimeWindow,
    jobId = 'cli',
    signal?: AbortSignal,
  ): Promise<HealSummary | null> {
    const started = Date.now();
    const entry = await this.catalog.get(target.kind, target.seriesId);
    const calendar = entry === null ? null : catalogCalendar(entry.meta);
    if (entry === null || calendar === null) return null;
    const series: CoverageSeries = {
      kind: target.kind,
      seriesId: target.seriesId,
      calendar,
      interval: target.interval,
      zone: parseTimeZone(catalogTimeZone(entry.meta)),
    };
    const last = new Date(window.to.getTime() - 1);
    const recorded = await this.empties.overlapping(target.kind, target.seriesId, window.from, last);
    const before = await this.missing(series, window.from, last);
    const open = before.filter((range) => !coveredBy(range, recorded));
    const skippedEmpty = before
      .filter((range) => coveredBy(range, recorded))
      .reduce((sum, range) => sum + range.bars, 0);
    const fetched: MissingRange[] = [];
    let failedRanges = 0;
    for (const range of open) {
      signal?.throwIfAborted();
      if (await this.refetch(target, range, jobId, signal)) fetched.push(range);
      else {
        failedRanges += 1;
        this.metrics.range(jobId, 'failed');
      }
    }
    const remaining = await this.missing(series, window.from, last);
    let confirmedEmpty = 0;
    for (const range of fetched) {
      const still = remaining.filter((gap) => gap.fromMs >= range.fromMs && gap.toMs <= range.toMs);
      for (const gap of still) {
        await this.empties.record(target.kind, target.seriesId, {
          from: new Date(gap.fromMs),
          to: new Date(gap.toMs),
          sourceId: target.provider,
        });
        confirmedEmpty += gap.bars;
      }
      const outcome: HealOutcome =
        still.length === 0
          ? 'healed'
          : still.reduce((sum, gap) => sum + gap.bars, 0) === range.bars
            ? 'empty'
            : 'partial';
      this.metrics.range(jobId, outcome);
    }
    const nowRecorded = await this.empties.overlapping(target.kind, target.seriesId, window.from, last);
    const openAfter = remaining
      .filter((range) => !coveredBy(range, nowRecorded))
      .reduce((sum, range) => sum + range.bars, 0);
    this.metrics.openGaps(jobId, openAfter);
    const missingBefore = open.reduce((sum, range) => sum + range.bars, 0);
    const summary = {
      ranges: open.length,
      missingBefore,
      healed: missingBefore - confirmedEmpty - openAfter,
      confirmedEmpty,
      skippedEmpty,
      failedRanges,
      openAfter,
      durationMs: Date.now() - started,
    };
    return { ...summary, healed: Math.max(0, summary.healed) };
  }

  private async missing(series: CoverageSeries, from: Date, to: Date): Promise<MissingRange[]> {
    const days = await this.coverage.coverage(series, from, to, MAX_EMPTY_BUCKETS);
    return days.flatMap((day) => day.missing);
  }

  /** Fetches one range through the ingest path, with bounded attempts and back-off; true when a fetch succeeded. */
  private async refetch(target: SeriesTarget, range: MissingRange, jobId: string, signal?: AbortSignal) {
    const { maxAttempts, backoffMs } = this.config.heal;
    const window = { from: new Date(range.fromMs), to: new Date(range.toMs + barIntervalMs(target.interval)) };
    for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
      try {
        await this.ingest.ingest(target, window, signal === undefined ? {} : { signal });
        this.metrics.attempt(jobId, 'ok');
        return true;
      } catch (error) {
        if (signal?.aborted ?? false) throw error;
        this.metrics.attempt(jobId, 'error');
        this.logger.warn(
          `heal ${target.kind} ${target.seriesId} [${window.from.toISOString()}, ${window.to.toISOString()}) ` +
            `attempt ${attempt}/${maxAttempts} failed: ${error instanceof Error ? error.message : String(error)}`,
        );
        if (attempt < maxAttempts)
          await sleep(backoffMs * 2 ** (attempt - 1), undefined, signal === undefined ? {} : { signal });
      }
    }
    return false;
  }
}

/** True when a recorded empty range holds the whole missing range. */
function coveredBy(range: MissingRange, recorded: readonly ConfirmedEmptyRange[]): boolean {
  return recorded.some((empty) => empty.from.getTime() <= range.fromMs && empty.to.getTime() >= range.toMs);
}
