import type { TimeZone } from '@market/domain';
import { type Bucket, bucketMillis, bucketOf } from '../buckets';
import type { SeriesKind } from '../price-point';
import { PartitionChangeRepository } from '../repositories/partition-change.repository';
import { QuoteRepository, quoteOrderKey } from '../repositories/quote.repository';
import { RollupRepository } from '../repositories/rollup.repository';
import { SeriesExtentRepository } from '../repositories/series-extent.repository';
import { type BarValues, type PricePointInput, TimeSeriesRepository } from '../repositories/time-series.repository';
import { forEachBounded } from './for-each-bounded';
import { type LocalDayWindow, localDaysOf } from './local-days';
import { RollupMaintainer } from './rollup-maintainer';

/** How the writer spreads its work: rows per single-partition batch, batches in flight. */
export interface SeriesWriteLimits {
  readonly batchRows: number;
  readonly concurrency: number;
}

export interface PartitionChunk<T> {
  readonly bucket: Bucket;
  readonly bars: T[];
}

/** Groups bars by month bucket and cuts each group into batches of at most `batchRows`. */
export function partitionChunks<T extends { readonly ts: Date }>(
  bars: readonly T[],
  batchRows: number,
): PartitionChunk<T>[] {
  const byBucket = new Map<Bucket, T[]>();
  // Bars arrive in runs of one month: the bucket's name is worked out once per run.
  let run: { first: number; last: number; group: T[] } | null = null;
  for (const bar of bars) {
    const ms = bar.ts.getTime();
    if (run === null || !(ms >= run.first && ms <= run.last)) {
      const bucket = bucketOf(bar.ts);
      const group = byBucket.get(bucket) ?? [];
      byBucket.set(bucket, group);
      run = { ...bucketMillis(bucket), group };
    }
    run.group.push(bar);
  }
  return [...byBucket].flatMap(([bucket, group]) =>
    Array.from({ length: Math.ceil(group.length / batchRows) }, (_, index) => ({
      bucket,
      bars: group.slice(index * batchRows, (index + 1) * batchRows),
    })),
  );
}

/**
 * What written bars still need once their rows are durable: the lake export's change marker
 * of each month partition they went to, the series' latest quote, and the daily rollups of
 * the local days they fall in. `writeBars` returns it, `completeWrites` does it.
 */
export interface WriteFollowUps {
  readonly days: readonly LocalDayWindow[];
  readonly buckets: readonly Bucket[];
  /** The newest bar written, with its source: the offer to the latest quote; null for none. */
  readonly newest: PricePointInput | null;
}

export const NO_FOLLOW_UPS: WriteFollowUps = { days: [], buckets: [], newest: null };

/**
 * The follow-ups of two writes of one series as one: each day and bucket once, and the newer
 * quote offer (by the latest quote's own order, so offering only it leaves the same quote
 * as offering both). A run gathers its chunks' follow-ups with this and completes them once
 * per batch of chunks.
 */
export function mergeFollowUps(a: WriteFollowUps, b: WriteFollowUps): WriteFollowUps {
  const days = new Map(a.days.map((day) => [day.day, day]));
  for (const day of b.days) days.set(day.day, day);
  const newest =
    a.newest === null ||
    (b.newest !== null &&
      quoteOrderKey(b.newest.ts, b.newest.sourceId) >= quoteOrderKey(a.newest.ts, a.newest.sourceId))
      ? b.newest
      : a.newest;
  return { days: [...days.values()], buckets: [...new Set([...a.buckets, ...b.buckets])], newest };
}

/** The oldest and the newest of some bars (not empty). */
function oldestAndNewest<T extends { readonly ts: Date }>(bars: readonly [T, ...T[]]): { oldest: T; newest: T } {
  let [oldest, newest] = [bars[0], bars[0]];
  for (const bar of bars) {
    if (bar.ts < oldest.ts) oldest = bar;
    if (bar.ts > newest.ts) newest = bar;
  }
  return { oldest, newest };
}

/**
 * The one write path of a series' bars, the only code that knows how they are laid out:
 * first the series' extent is widened to cover them (so a read clamped to the extent never
 * misses a bar that is stored: a failure after this step leaves the extent too wide, which
 * costs a read an empty bucket, never a hidden row); then single-partition UNLOGGED batches
 * with bounded concurrency (never a batch across partitions, never a logged one); then the
 * newest bar is offered as the series' latest quote; then, once the base rows are durable,
 * every local day (in the series' zone) the bars fall in has its daily rollup recomputed
 * from its base rows (rollup-maintainer.ts: correct under concurrent writers). Every step
 * can be repeated, so a retried or repeated write changes nothing.
 *
 * `write` does it all for one call. A caller writing many chunks of one series (the
 * ingestor's runs) calls `writeBars` per chunk (extent and base rows only) and
 * `completeWrites` once for the merged follow-ups of several chunks (mergeFollowUps): a day
 * is then recomputed once per batch, not once per chunk that touches it, and the change
 * marker of a partition and the latest quote (a read and a compare-and-set) are written once
 * per batch, not per chunk. That caller must keep the follow-ups of written bars until they
 * are completed (the ingestor advances its checkpoint only after them, so a crash in between
 * leaves them to the resumed run, which writes those bars again).
 */
export class SeriesWriter {
  private readonly rollups: RollupMaintainer;

  constructor(
    private readonly timeSeries: TimeSeriesRepository,
    private readonly quotes: QuoteRepository,
    private readonly extents: SeriesExtentRepository,
    rollups: RollupRepository,
    private readonly limits: SeriesWriteLimits,
    private readonly changes: PartitionChangeRepository,
  ) {
    this.rollups = new RollupMaintainer(timeSeries, rollups, limits.concurrency);
  }

  /**
   * Writes bars of one source (decimals as exact strings; `price` is the close) and keeps the
   * daily rollups of the days they fall in; `zone` is the series' exchange zone (the
   * catalog's meta.timezone), whose calendar days the rollups follow.
   */
  async write(
    kind: SeriesKind,
    seriesId: string,
    sourceId: string,
    bars: readonly BarValues[],
    zone: TimeZone,
  ): Promise<void> {
    const followUps = await this.writeBars(kind, seriesId, sourceId, bars, zone);
    await this.completeWrites(kind, seriesId, zone, followUps);
  }

  /**
   * Writes bars (extent, then base rows) and returns what they still need (WriteFollowUps):
   * the caller passes it to `completeWrites` once the bars are durable (when this resolves),
   * now or merged with the follow-ups of later chunks.
   */
  async writeBars(
    kind: SeriesKind,
    seriesId: string,
    sourceId: string,
    bars: readonly BarValues[],
    zone: TimeZone,
  ): Promise<WriteFollowUps> {
    if (!isNonEmpty(bars)) return NO_FOLLOW_UPS;
    // Worked out first: an unusable zone fails the write before anything is stored.
    const days = localDaysOf(
      bars.map((bar) => bar.ts),
      zone,
    );
    const { oldest, newest } = oldestAndNewest(bars);
    await this.extents.widen(kind, seriesId, oldest.ts, newest.ts);
    const chunks = partitionChunks(bars, this.limits.batchRows);
    await forEachBounded(chunks, this.limits.concurrency, (chunk) =>
      this.timeSeries.insertPartition(kind, seriesId, chunk.bucket, sourceId, chunk.bars),
    );
    return { days, buckets: [...new Set(chunks.map((chunk) => chunk.bucket))], newest: { ...newest, sourceId } };
  }

  /**
   * What bars written by `writeBars` still need, once they are durable: the lake export's
   * change marker of each partition (cql/010_partition_changes.cql: after the rows), the
   * offer to the latest quote, and the daily rollups of their days recomputed from the stored
   * base rows. The three are independent and run side by side.
   */
  async completeWrites(kind: SeriesKind, seriesId: string, zone: TimeZone, followUps: WriteFollowUps): Promise<void> {
    const { newest } = followUps;
    await Promise.all([
      this.changes.recordChanges(kind, seriesId, followUps.buckets),
      newest === null ? undefined : this.quotes.offerLatest(seriesId, newest),
      this.rollups.refreshDays(kind, seriesId, zone, followUps.days),
    ]);
  }

  /**
   * Recomputes the daily rollups of every local day overlapping [from, to) from the stored
   * base rows (data written before rollups existed, or a zone that changed); returns the
   * number of days visited.
   */
  rebuildRollups(kind: SeriesKind, seriesId: string, zone: TimeZone, from: Date, to: Date): Promise<number> {
    return this.rollups.rebuild(kind, seriesId, zone, from, to);
  }
}

function isNonEmpty<T>(items: readonly T[]): items is readonly [T, ...T[]] {
  return items.length > 0;
}
