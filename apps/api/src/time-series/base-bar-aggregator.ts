import { Injectable } from '@nestjs/common';
import { type PagePosition, RangeReader, baseBarOf, bucketSliceAt } from '@market/cassandra';
import {
  type AggregatedBar,
  aggregateOfBar,
  mergeAggregatedBars,
  nextTimeframeStartMs,
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
  readonly bar: AggregatedBar;
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

    const emit = (done: PendingBar) => bars.push({ ...done.bar, end: done.end });
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
        limit: Math.min(BASE_ROWS_PER_READ, request.maxBaseRows - baseRows),
        position,
        maxEmptyBuckets: request.maxEmptyBuckets,
      });
      baseRows += page.points.length;
      for (const point of page.points) {
        const ts = point.ts.getTime();
        if (pending !== null && ts >= pending.start && ts < pending.end) {
          const single = adjustedPiece(aggregateOfBar(baseBarOf(point), pending.start), ts, request);
          const bar: AggregatedBar =
            order === 'asc' ? mergeAggregatedBars(pending.bar, single) : mergeAggregatedBars(single, pending.bar);
          pending = { start: pending.start, end: pending.end, bar };
          continue;
        }
        if (pending !== null) {
          emit(pending);
          pending = null;
          if (bars.length === request.limit) {
            // This row opens the bar after the page: the next page starts at its boundary.
            const last = bars.at(-1);
            const at = last === undefined ? edge : order === 'asc' ? last.end : last.ts - 1;
            return { bars, next: { bucketIndex: 0, pageState: null, lastTs: null, barBoundary: at } };
          }
        }
        const start = timeframeStartMs(ts, timeframe, zone);
        const end = nextTimeframeStartMs(start, timeframe, zone);
        pending = { start, end, bar: adjustedPiece(aggregateOfBar(baseBarOf(point), start), ts, request) };
      }
      if (page.next === null) {
        // The range is walked to its end, which is a bar's end: the pending bar is whole.
        if (pending !== null) emit(pending);
        return { bars, next: null };
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
      return { bars, next: resumeAt(position) };
    }
  }
}

/** A base bar (at `ts`) as a piece of its aggregate, adjusted when the read is. */
function adjustedPiece(piece: AggregatedBar, ts: number, request: BarPageRequest): AggregatedBar {
  return request.adjustment === undefined ? piece : request.adjustment.adjustPiece(piece, ts);
}

/** True when every base row of the bar has been read: the walk is past the bar's far edge. */
function isReadPast(bar: PendingBar, position: PagePosition, from: Date, to: Date, order: 'asc' | 'desc'): boolean {
  if (position.pageState !== null) return false;
  const slice = bucketSliceAt(from, to, position.bucketIndex, order);
  return order === 'asc' ? slice.from.getTime() >= bar.end : slice.to.getTime() < bar.start;
}
