import { setTimeout as sleep } from 'node:timers/promises';
import { type BaseBar, type TimeZone, aggregateBars } from '@market/domain';
import { bucketSlices } from '../buckets';
import { type SeriesKind, baseBarOf } from '../price-point';
import type { DailyRollupValues, RollupRepository, RollupVersion } from '../repositories/rollup.repository';
import type { TimeSeriesRepository } from '../repositories/time-series.repository';
import { forEachBounded } from './for-each-bounded';
import { type LocalDayWindow, localDaysBetween } from './local-days';

/** Base rows per read of a day: a day of one-minute bars (at most 25 h = 1500 rows) in one page. */
const DAY_FETCH_SIZE = 2000;

/** Compare-and-set rounds before a recomputation gives up: each lost round means another writer recomputed the day. */
const MAX_ROUNDS = 10;

/** A day's rollup stayed contended through every round; writing the bars again recomputes it. */
export class RollupContentionError extends Error {
  override readonly name = 'RollupContentionError';
}

/**
 * Keeps the daily rollups equal to the aggregation of the stored base bars.
 *
 * A day is recomputed whole, from its base rows, never patched with the bars just written,
 * so re-writes with changed values, late and out-of-order bars and several chunks touching
 * one day all give the same row. Correctness under concurrent writers of one series (two
 * jobs, a job and a backfill) rests on one rule: **a row is replaced only by a
 * compare-and-set on the version that was read before the base rows were read** —
 *
 *     v ← version of the row;  rows ← the day's base rows;  write agg(rows) with v+1 IF version = v
 *
 * repeated with the version the failed transaction returns until it applies. Take a base
 * write W, acknowledged at LOCAL_QUORUM before its writer Y starts recomputing the day, and
 * the last replacement R of the row (Paxos orders all of them, they are all conditional,
 * and versions only rise, so there is no A-B-A). R is conditional on the version left by
 * the replacement just before it, so R's writer read that version after it was chosen;
 * that replacement is Y's own or one after Y's in Paxos order, chosen after Y read the base
 * rows, hence after W was acknowledged. R's writer read the base rows after reading the
 * version, so after W was acknowledged, and a LOCAL_QUORUM read after a LOCAL_QUORUM write
 * sees it. So the row that stays has seen every acknowledged base write whose writer got
 * to recompute — no clocks are compared (a write timestamp taken from two hosts' clocks
 * would need them in step), and nothing is read-modify-written outside a transaction.
 *
 * A writer that fails between its base rows and the rollup leaves the day stale until the
 * same bars are written again: the ingestor recomputes the days of a batch of chunks once,
 * and saves its checkpoint only after that batch's rollups (apps/ingestor's
 * rollup-batches.ts), so a resumed run rewrites those bars and recomputes their days;
 * `ingestor rollup` recomputes any range on demand.
 */
export class RollupMaintainer {
  constructor(
    private readonly timeSeries: TimeSeriesRepository,
    private readonly rollups: RollupRepository,
    private readonly concurrency: number,
  ) {}

  /** Recomputes these local days (their base rows are durable), `concurrency` at a time. */
  async refreshDays(
    kind: SeriesKind,
    seriesId: string,
    zone: TimeZone,
    days: readonly LocalDayWindow[],
  ): Promise<void> {
    await forEachBounded(days, this.concurrency, (day) => this.recompute(kind, seriesId, zone, day));
  }

  /** Recomputes every local day overlapping [from, to) (to exclusive); returns how many days it visited. */
  async rebuild(kind: SeriesKind, seriesId: string, zone: TimeZone, from: Date, to: Date): Promise<number> {
    const days = localDaysBetween(from.getTime(), to.getTime(), zone);
    await forEachBounded(days, this.concurrency, (day) => this.recompute(kind, seriesId, zone, day));
    return days.length;
  }

  /** One day: read the version, then the base rows, then compare-and-set (the rule above). */
  async recompute(kind: SeriesKind, seriesId: string, zone: TimeZone, day: LocalDayWindow): Promise<void> {
    let expected: RollupVersion = await this.rollups.version(kind, seriesId, day.day);
    for (let round = 1; round <= MAX_ROUNDS; round += 1) {
      const readStarted = new Date();
      const values = await this.aggregateDay(kind, seriesId, day);
      // No bars and no row: nothing to keep (a writer adding bars recomputes the day itself).
      if (values === null && expected === null) return;
      const outcome = await this.rollups.replace(kind, seriesId, day, zone.name, values, expected, readStarted);
      if (outcome.status === 'applied') return;
      expected = outcome.status === 'lost' ? outcome.current : await this.rollups.version(kind, seriesId, day.day);
      // Two writers recomputing one day in lockstep would keep colliding: step apart.
      await sleep(Math.random() * 10 * round);
    }
    throw new RollupContentionError(
      `daily rollup of ${kind} ${seriesId} on ${day.day}: still contended after ${MAX_ROUNDS} compare-and-set rounds; write the bars again or run "ingestor rollup"`,
    );
  }

  /** The aggregate of a day's stored base rows (a bounded read of at most two month buckets); null for none. */
  private async aggregateDay(
    kind: SeriesKind,
    seriesId: string,
    day: LocalDayWindow,
  ): Promise<DailyRollupValues | null> {
    const bars: BaseBar[] = [];
    let firstTs: Date | null = null;
    let lastTs: Date | null = null;
    for (const slice of bucketSlices(new Date(day.startMs), new Date(day.endMs - 1))) {
      let pageState: string | null = null;
      do {
        const page = await this.timeSeries.readSlice(kind, seriesId, slice, { fetchSize: DAY_FETCH_SIZE, pageState });
        for (const point of page.points) {
          firstTs ??= point.ts;
          lastTs = point.ts;
          bars.push(baseBarOf(point));
        }
        pageState = page.pageState;
      } while (pageState !== null);
    }
    const aggregate = aggregateBars(day.startMs, bars);
    if (aggregate === null || firstTs === null || lastTs === null) return null;
    return {
      open: aggregate.open,
      high: aggregate.high,
      low: aggregate.low,
      close: aggregate.close,
      volume: aggregate.volume,
      barCount: aggregate.barCount,
      firstTs,
      lastTs,
    };
  }
}
