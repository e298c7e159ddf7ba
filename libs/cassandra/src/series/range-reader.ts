import { Injectable } from '@nestjs/common';
import { type BucketSlice, type WalkOrder, bucketCount, bucketIndexOf, bucketSliceAt } from '../buckets';
import { InvalidPageTokenError, type PagePosition } from '../page-token';
import type { PricePoint, SeriesKind } from '../price-point';
import { type SeriesExtent, SeriesExtentRepository } from '../repositories/series-extent.repository';
import { TimeSeriesRepository } from '../repositories/time-series.repository';
import { RefusedPagingStateError } from '../storage-errors';

/** One page of a series' range: which rows, in which order, from where. */
export interface RangeReadRequest {
  readonly kind: SeriesKind;
  readonly seriesId: string;
  /** Both inclusive, as the client asked (the reader clamps them to the series' extent itself). */
  readonly from: Date;
  readonly to: Date;
  readonly order: WalkOrder;
  /** At most this many rows. */
  readonly limit: number;
  /** Where the previous page stopped (from its page token); null for the first page. */
  readonly position: PagePosition | null;
  /** At most this many bucket reads that return no row, then the page ends early with a position. */
  readonly maxEmptyBuckets: number;
}

export interface RangeReadPage {
  /** In walking order: ts ascending for `asc`, descending for `desc`. */
  readonly points: PricePoint[];
  /** Where the next page starts; null when the range holds no more rows. */
  readonly next: PagePosition | null;
  /** Bucket reads that returned no row (counted against `maxEmptyBuckets`), for callers that budget work. */
  readonly emptyReads: number;
}

/** The walking-order bucket indices worth reading: those of the range that overlap the extent. */
export interface WalkWindow {
  readonly first: number;
  readonly last: number;
}

/**
 * The bucket indices of [from, to] (walking order) that can hold rows of a series with this
 * extent; null when the range and the extent do not overlap. With no extent known, every
 * bucket of the range. Clamping is per bucket: a slice keeps the request's own bounds, so a
 * paging state stays valid for the statement it came from even when the extent widens
 * between pages.
 */
export function walkWindow(from: Date, to: Date, order: WalkOrder, extent: SeriesExtent | null): WalkWindow | null {
  if (extent === null) return { first: 0, last: bucketCount(from, to) - 1 };
  const start = from > extent.first ? from : extent.first;
  const end = to < extent.last ? to : extent.last;
  if (start > end) return null;
  const [first, last] = order === 'asc' ? [start, end] : [end, start];
  return { first: bucketIndexOf(from, to, first, order), last: bucketIndexOf(from, to, last, order) };
}

interface BucketPage {
  readonly points: PricePoint[];
  /** Where to continue inside the bucket; null with `exhausted: false` means "resume by ts". */
  readonly pageState: string | null;
  readonly exhausted: boolean;
}

/** The part of a slice after `lastTs` in walking order, or null if lastTs is not inside it. */
export function narrowPastLastTs(slice: BucketSlice, lastTs: number | null, order: WalkOrder): BucketSlice | null {
  if (lastTs === null || lastTs < slice.from.getTime() || lastTs > slice.to.getTime()) return null;
  return order === 'asc' ? { ...slice, from: new Date(lastTs + 1) } : { ...slice, to: new Date(lastTs - 1) };
}

/**
 * Range reads over month buckets, the only code that walks them. Each bucket is one
 * single-partition query with bucket-local bounds, read with Cassandra's paging, so a page
 * never reads more rows than it returns; the walk goes on into the next bucket (older ones
 * first for `desc`) until the page is full. Work is bounded whatever the range: the walk is
 * clamped to the series' extent (series_extent, kept by the series writer) and stops after
 * `maxEmptyBuckets` reads that found nothing, handing back a position to continue from.
 */
@Injectable()
export class RangeReader {
  constructor(
    private readonly timeSeries: TimeSeriesRepository,
    private readonly extents: SeriesExtentRepository,
  ) {}

  /**
   * One page of a range. Throws InvalidPageTokenError when the position names a bucket
   * outside the range (a token can only carry one if it was forged with our key).
   */
  async readPage(request: RangeReadRequest): Promise<RangeReadPage> {
    const { from, to, order } = request;
    let position: PagePosition = request.position ?? { bucketIndex: 0, pageState: null, lastTs: null };
    if (position.bucketIndex >= bucketCount(from, to)) throw new InvalidPageTokenError('malformed');
    // A range inside one month bucket is read whatever the extent says: the extent could only
    // spare that one read, at the price of a read of its own (a dashboard's page: one query, not two).
    const extent = bucketCount(from, to) === 1 ? null : await this.extents.get(request.kind, request.seriesId);
    const window = walkWindow(from, to, order, extent);
    if (window === null || position.bucketIndex > window.last) return { points: [], next: null, emptyReads: 0 };
    if (position.bucketIndex < window.first) {
      // Only when the extent was unknown or narrower for the previous page: start at its edge.
      position = { bucketIndex: window.first, pageState: null, lastTs: position.lastTs };
    }
    const points: PricePoint[] = [];
    let emptyReads = 0;
    while (position.bucketIndex <= window.last && points.length < request.limit) {
      if (emptyReads >= request.maxEmptyBuckets) break;
      const slice = bucketSliceAt(from, to, position.bucketIndex, order);
      const page = await this.readBucketPage(request, slice, position, request.limit - points.length);
      if (page.points.length === 0) emptyReads += 1;
      points.push(...page.points);
      const lastTs = points.at(-1)?.ts.getTime() ?? position.lastTs;
      position = page.exhausted
        ? { bucketIndex: position.bucketIndex + 1, pageState: null, lastTs }
        : { bucketIndex: position.bucketIndex, pageState: page.pageState, lastTs };
    }
    return { points, next: position.bucketIndex <= window.last ? position : null, emptyReads };
  }

  /**
   * One page of one bucket. Continues at the position's paging state; if Cassandra refuses
   * that state, resumes just past the last ts returned instead of failing the client. A
   * page read that way carries no paging state forward (it would belong to the narrowed
   * statement): the next one resumes by ts again.
   */
  private async readBucketPage(
    request: RangeReadRequest,
    slice: BucketSlice,
    position: PagePosition,
    fetchSize: number,
  ): Promise<BucketPage> {
    const narrowed = narrowPastLastTs(slice, position.lastTs, request.order);
    if (position.pageState === null && narrowed !== null) return this.readByTs(request, narrowed, fetchSize);
    try {
      const page = await this.timeSeries.readSlice(request.kind, request.seriesId, slice, {
        fetchSize,
        pageState: position.pageState,
        order: request.order,
      });
      return { points: page.points, pageState: page.pageState, exhausted: page.pageState === null };
    } catch (error) {
      if (position.pageState === null || narrowed === null || !(error instanceof RefusedPagingStateError)) throw error;
      return this.readByTs(request, narrowed, fetchSize);
    }
  }

  private async readByTs(request: RangeReadRequest, slice: BucketSlice, fetchSize: number): Promise<BucketPage> {
    const page = await this.timeSeries.readSlice(request.kind, request.seriesId, slice, {
      fetchSize,
      order: request.order,
    });
    return { points: page.points, pageState: null, exhausted: page.pageState === null };
  }
}
