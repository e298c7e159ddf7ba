import { Injectable } from '@nestjs/common';
import { type CheckpointKey, IngestStateRepository } from '@market/cassandra';
import {
  type ChunkProgress,
  IngestService,
  type IngestSummary,
  type SeriesTarget,
  type TimeWindow,
} from '../ingest/ingest.service';

export interface BackfillOptions {
  /** Ignore an earlier run's checkpoint and start at the window's beginning. */
  readonly restart?: boolean;
  /** Told where the run resumes when an earlier run of the same backfill got that far. */
  readonly onResume?: (from: Date) => void;
  readonly onChunk?: (progress: ChunkProgress) => void;
}

export interface BackfillRun {
  /** The checkpoint this run resumed from; null when it started at the window's beginning. */
  readonly resumedFrom: Date | null;
  readonly summary: IngestSummary;
}

/**
 * A one-off backfill of a window that resumes where an interrupted run of it stopped: its
 * checkpoint (in ingest_checkpoints, as jobs keep theirs) records the end of every chunk
 * durably written, so a re-run fetches only what is missing. A backfill is known by its
 * source, series and start: a later `to` extends it, another `from` is another backfill.
 */
@Injectable()
export class BackfillService {
  constructor(
    private readonly ingest: IngestService,
    private readonly state: IngestStateRepository,
  ) {}

  /** The checkpoint of a backfill; never a job's (whose source id is the bare provider name). */
  checkpointKey(target: SeriesTarget, from: Date): CheckpointKey {
    return {
      sourceId: `backfill:${target.provider}:${from.toISOString()}`,
      kind: target.kind,
      seriesId: target.seriesId,
    };
  }

  async backfill(target: SeriesTarget, window: TimeWindow, options: BackfillOptions = {}): Promise<BackfillRun> {
    const key = this.checkpointKey(target, window.from);
    const checkpoint = options.restart === true ? null : await this.state.checkpoint(key);
    const resumedFrom = checkpoint !== null && checkpoint > window.from ? checkpoint : null;
    if (resumedFrom !== null) options.onResume?.(resumedFrom);
    // Even with nothing left to fetch the ingest runs: it checks the series' interval first.
    const from = resumedFrom === null ? window.from : new Date(Math.min(resumedFrom.getTime(), window.to.getTime()));
    const summary = await this.ingest.ingest(
      target,
      { from, to: window.to },
      { backfillCheckpoint: key, ...(options.onChunk === undefined ? {} : { onChunk: options.onChunk }) },
    );
    return { resumedFrom, summary };
  }
}
