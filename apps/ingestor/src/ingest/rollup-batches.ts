import { NO_FOLLOW_UPS, type WriteFollowUps, mergeFollowUps } from '@market/cassandra';

/** How many local days a batch gathers before they are recomputed: 16 one-minute chunks (a UTC day each), or one chunk of coarser bars. */
export const DAYS_PER_ROLLUP_BATCH = 16;
/** A run of chunks without bars (a long gap) still closes a batch now and then, so its checkpoint moves on. */
export const MAX_CHUNKS_PER_ROLLUP_BATCH = 64;

/**
 * The follow-ups of one ingest run's writes (SeriesWriter's WriteFollowUps: daily rollups,
 * partition change markers, latest quote). Each chunk's base rows are written first and its
 * follow-ups remembered; once DAYS_PER_ROLLUP_BATCH days are remembered (or
 * MAX_CHUNKS_PER_ROLLUP_BATCH chunks went by), and at the end of the run, the remembered
 * follow-ups are completed once each, while the next chunks are written (at most one batch in
 * flight), and only then does the batch's `after` step run: the run's checkpoint. So a day
 * touched by several chunks of a batch (a local day across the UTC midnight that ends a
 * chunk, a CSV slice boundary) is recomputed once, a partition's change marker is bumped and
 * the latest quote offered once per batch, and a crash between base rows and their
 * follow-ups leaves the checkpoint before those rows: the resumed run writes them again and
 * completes them. Nothing stays stale.
 */
export class RollupBatches {
  private pending: WriteFollowUps = NO_FOLLOW_UPS;
  private chunks = 0;
  private inFlight: Promise<void> | null = null;
  /** A batch failed: no later checkpoint may pass its days. */
  private failed = false;

  constructor(
    private readonly refresh: (followUps: WriteFollowUps) => Promise<void>,
    private readonly limits = { days: DAYS_PER_ROLLUP_BATCH, chunks: MAX_CHUNKS_PER_ROLLUP_BATCH },
  ) {}

  /** Whether chunks were added since the last flush. */
  get hasPending(): boolean {
    return this.chunks > 0;
  }

  /** Remembers the follow-ups of a chunk whose base rows are durable; true when a batch is due. */
  add(followUps: WriteFollowUps): boolean {
    this.pending = mergeFollowUps(this.pending, followUps);
    this.chunks += 1;
    return this.pending.days.length >= this.limits.days || this.chunks >= this.limits.chunks;
  }

  /**
   * Starts completing the remembered follow-ups, after the batch before it has finished (its
   * failure surfaces here, and the follow-ups stay remembered for `abandon`); `after` runs once
   * they are done. Resolves when the new batch has started, so the caller writes on
   * meanwhile.
   */
  async flush(after: () => Promise<void>): Promise<void> {
    await this.settle();
    const batch = this.refresh(this.take()).then(after);
    // Awaited by the next flush or settle; until then its rejection is not "unhandled".
    batch.catch(() => undefined);
    this.inFlight = batch;
  }

  /** Waits for the batch in flight; rejects if it failed. */
  async settle(): Promise<void> {
    const batch = this.inFlight;
    this.inFlight = null;
    try {
      await batch;
    } catch (error) {
      this.failed = true;
      throw error;
    }
  }

  /**
   * After a failed or stopped run: lets the batch in flight finish, completes the follow-ups still
   * remembered (their base rows are durable) and then runs `after` (the checkpoint up to the
   * last chunk written), unless a batch failed: then the checkpoint stays where it was.
   * Errors are dropped: the run's own error is the one to report, and a resumed run writes
   * again, and completes, whatever the checkpoint does not cover.
   */
  async abandon(after: (() => Promise<void>) | null): Promise<void> {
    await this.settle().catch(() => undefined);
    if (!this.hasPending) return;
    try {
      await this.refresh(this.take());
      if (!this.failed && after !== null) await after();
    } catch {
      // Dropped on purpose (above).
    }
  }

  private take(): WriteFollowUps {
    const followUps = this.pending;
    this.pending = NO_FOLLOW_UPS;
    this.chunks = 0;
    return followUps;
  }
}
