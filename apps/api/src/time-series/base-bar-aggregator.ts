import { Injectable } from '@nestjs/common';
import { type PagePosition, RangeReader, baseBarOf, bucketSliceAt } from '@market/cassandra';
import {
  type AggregatedBar,
  AggregatedBarBuilder,
  type BaseBar,
  type PriceAdjustment,
  aggregateOfBar,
  mergeAggregatedBars,
  nextTimeframeStartMs,
  timeframeMinutes,
  timeframeStartMs,
} from '@market/domain';
import { InvalidQueryError } from '../errors/api-errors';
import type { BarPage, BarPageRequest, BarSource, TimedBar } from './bar-source';

/** Base rows asked of the range reader per call; the loop goes on until the page or the cap is full. */
const BASE_ROWS_PER_READ = 10_000;

/** The bar being built from the rows read so far. */
interface PendingBar {
  readonly start: number;
  readonly end: number;
  readonly bar: BarAccumulator;
}

/** What the walk needs of the bar it is building: base bars in, one direction at a time; the bar out. */
interface BarAccumulator {
  addLater(bar: BaseBar): void;
  addEarlier(bar: BaseBar): void;
  build(): AggregatedBar;
}

/**
 * A bar of an adjusted read: each base bar is adjusted by the factor of its own instant before
 * the fold (an ex-date may fall inside the bar), so it is folded piece by piece rather than in
 * place; raw reads keep the in-place AggregatedBarBuilder.
 */
class AdjustedBarAccumulator implements BarAccumulator {
  private bar: AggregatedBar;

  constructor(
    private readonly start: number,
    first: BaseBar,
    private readonly adjustment: PriceAdjustment,
  ) {
    this.bar = this.piece(first);
  }

  addLater(bar: BaseBar): void {
    this.bar = mergeAggregatedBars(this.bar, this.piece(bar));
  }

  addEarlier(bar: BaseBar): void {
    this.bar = mergeAggregatedBars(this.piece(bar), this.bar);
  }

  build(): AggregatedBar {
    return this.bar;
  }

  private piece(bar: BaseBar): AggregatedBar {
    return this.adjustment.adjustPiece(aggregateOfBar(bar, this.start), bar.ts);
  }
}

function accumulatorOf(start: number, first: BaseBar, adjustment: PriceAdjustment | undefined): BarAccumulator {
  return adjustment === undefined
    ? new AggregatedBarBuilder(start, first)
    : new AdjustedBarAccumulator(start, first, adjustment);
}

/**
 * Aggregated bars from base rows, on the fly, with the range reader's bounded paging. A page
 * holds whole bars only: the walk reads past the last bar of `limit` until it sees a row of
 * the next bar (or the range ends), and the next page starts at a bar boundary, so a bar is
 * never split across pages in either order. Work is bounded by `maxBaseRows` base rows and
 * the reader's empty-bucket budget; a page that stops early hands back a position.
 */
@Injectable()
export class BaseBarAggregator implements BarSource {
  constructor(private readonly ranges: RangeReader) {}

  async readBars(request: BarPageRequest): Promise<BarPage> {
    const { order, timeframe, zone } = request;
    const boundary = request.position?.barBoundary;
    // The range still to walk: narrowed to the bar boundary the previous page stopped at.
    const from = order === 'asc' && boundary !== undefined ? new Date(boundary) : request.from;
    const to = order === 'desc' && boundary !== undefined ? new Date(boundary) : request.to;
    const edge = (order === 'asc' ? from : to).getTime();
    let position: PagePosition | null =
      request.position === null ? null : { ...request.position, barBoundary: undefined };
    if (position !== null && position.bucketIndex === 0 && position.pageState === null && position.lastTs === null) {
      position = null;
    }
    const bars: TimedBar[] = [];
    let pending: PendingBar | null = null;
    let baseRows = 0;
    let emptyReads = 0;
    const work = () => ({ baseRows, emptyBuckets: emptyReads });

    const emit = (done: PendingBar) => bars.push({ ...done.bar.build(), end: done.end });
    // No stored interval is finer than a minute, so n intraday bars hold at most n x width base
    // rows: asking for no more than that (and one row of the bar after) keeps a page from
    // reading rows it does not use. A read that falls short (gaps) just reads again.
    const widthMinutes = timeframeMinutes(timeframe);
    const rowsWanted = () =>
      widthMinutes === null ? BASE_ROWS_PER_READ : (request.limit - bars.length) * widthMinutes + 1;
    /** Resume at the pending bar's boundary (its rows are read again), or between bars at the reader's position. */
    const resumeAt = (readerPosition: PagePosition | null): PagePosition => {
      if (pending !== null || readerPosition === null) {
        const at = pending === null ? edge : order === 'asc' ? pending.start : pending.end - 1;
        return { bucketIndex: 0, pageState: null, lastTs: null, barBoundary: at };
      }
      return { ...readerPosition, barBoundary: edge };
    };

    for (;;) {
      const page = await this.ranges.readPage({
        kind: request.kind,
        seriesId: request.seriesId,
        from,
        to,
        order,
        limit: Math.min(BASE_ROWS_PER_READ, request.maxBaseRows - baseRows, rowsWanted()),
        position,
        maxEmptyBuckets: request.maxEmptyBuckets,
      });
      baseRows += page.points.length;
      emptyReads += page.emptyReads;
      for (const point of page.points) {
        const ts = point.ts.getTime();
        if (pending !== null && ts >= pending.start && ts < pending.end) {
          if (order === 'asc') pending.bar.addLater(baseBarOf(point));
          else pending.bar.addEarlier(baseBarOf(point));
          continue;
        }
        if (pending !== null) {
          emit(pending);
          pending = null;
          if (bars.length === request.limit) {
            // This row opens the bar after the page: the next page starts at its boundary.
            const last = bars.at(-1);
            const at = last === undefined ? edge : order === 'asc' ? last.end : last.ts - 1;
            return { bars, next: { bucketIndex: 0, pageState: null, lastTs: null, barBoundary: at }, work: work() };
          }
        }
        const start = timeframeStartMs(ts, timeframe, zone);
        const end = nextTimeframeStartMs(start, timeframe, zone);
        pending = { start, end, bar: accumulatorOf(start, baseBarOf(point), request.adjustment) };
      }
      if (page.next === null) {
        // The range is walked to its end, which is a bar's end: the pending bar is whole.
        if (pending !== null) emit(pending);
        return { bars, next: null, work: work() };
      }
      position = page.next;
      const stalled = page.points.length === 0;
      if (!stalled && baseRows < request.maxBaseRows) continue;
      // Stopped early (the empty-bucket budget or the base-row cap): keep the pending bar
      // only if the walk has gone past its end, else it is read again on the next page.
      if (pending !== null && isReadPast(pending, position, from, to, order)) {
        emit(pending);
        pending = null;
      }
      if (bars.length === 0 && pending !== null && !stalled) {
        throw new InvalidQueryError(
          'timeframe',
          `one ${timeframe} bar holds more than ${request.maxBaseRows} base rows, the cap per request ` +
            '(RANGE_CAP_POINTS): choose a finer timeframe',
        );
      }
      return { bars, next: resumeAt(position), work: work() };
    }
  }
}

/** True when every base row of the bar has been read: the walk is past the bar's far edge. */
function isReadPast(bar: PendingBar, position: PagePosition, from: Date, to: Date, order: 'asc' | 'desc'): boolean {
  if (position.pageState !== null) return false;
  const slice = bucketSliceAt(from, to, position.bucketIndex, order);
  return order === 'asc' ? slice.from.getTime() >= bar.end : slice.to.getTime() < bar.start;
}
