import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { errors as driverErrors, types } from 'cassandra-driver';
import {
  type BucketSlice,
  InvalidPageTokenError,
  type PagePosition,
  type PageQuery,
  type PricePoint,
  type SeriesKind,
  TimeSeriesRepository,
  bucketSlices,
} from '@market/cassandra';
import { CatalogEntryCache } from '../catalog/catalog-entry.cache';
import { apiConfig } from '../config/api.config';
import { RangeTooLargeError, ResourceNotFoundError } from '../errors/api-errors';
import { PageTokens } from '../paging/page-tokens';
import { PageReadAhead } from './page-read-ahead';
import { barInterval, parseRangeBounds } from './range-bounds';

export interface RangeRequest {
  readonly from: string;
  readonly to?: string;
  readonly limit: number;
  readonly sort: 'asc' | 'desc';
  readonly pageToken?: string;
}

export interface RangePage {
  readonly id: string;
  readonly from: Date;
  readonly to: Date;
  readonly sort: 'asc' | 'desc';
  readonly points: PricePoint[];
  readonly nextPageToken: string | null;
}

/** Cassandra refuses a paging state that does not fit the statement (e.g. after an upgrade). */
const REFUSED_PAGING_STATE_CODES = new Set<number>([
  types.responseErrorCodes.invalid,
  types.responseErrorCodes.protocolError,
]);

function isRefusedPagingState(error: unknown): boolean {
  return error instanceof driverErrors.ResponseError && REFUSED_PAGING_STATE_CODES.has(error.code);
}

/**
 * Range reads over month buckets: each bucket is one single-partition query with
 * bucket-local bounds, read with Cassandra's paging so a request never reads more rows than
 * it returns, walking on into the next bucket when one runs out.
 */
@Injectable()
export class TimeSeriesService {
  constructor(
    private readonly catalog: CatalogEntryCache,
    private readonly timeSeries: TimeSeriesRepository,
    private readonly pageTokens: PageTokens,
    @Inject(apiConfig.KEY) private readonly config: ConfigType<typeof apiConfig>,
  ) {}

  private readonly readAhead = new PageReadAhead<RangePage>();

  /**
   * One page of a range. A client that is paging (its request carries a token, or asks
   * for a bulk first page) gets its next page read ahead while it handles this one
   * (page-read-ahead.ts).
   */
  async readRange(kind: SeriesKind, id: string, request: RangeRequest): Promise<RangePage> {
    const ahead =
      request.pageToken === undefined ? undefined : this.readAhead.take(readAheadKey(kind, id, request), request.limit);
    const page =
      ahead === undefined
        ? await this.readPage(kind, id, request)
        : await ahead.catch(() => this.readPage(kind, id, request));
    if (isPaging(request) && page.nextPageToken !== null) {
      const next: RangeRequest = { ...request, pageToken: page.nextPageToken };
      this.readAhead.start(readAheadKey(kind, id, next), request.limit, () => this.readPage(kind, id, next));
    }
    return page;
  }

  private async readPage(kind: SeriesKind, id: string, request: RangeRequest): Promise<RangePage> {
    const bounds = parseRangeBounds(request.from, request.to, new Date());
    const { from } = bounds;
    const entry = await this.catalog.get(kind, id);
    if (entry === null) throw new ResourceNotFoundError(kind, id);
    // A range left open ("up to now") ends where its first page put it: the token says where.
    const resumed =
      request.pageToken === undefined
        ? null
        : this.pageTokens.read(request.pageToken, {
            kind,
            id,
            from: from.getTime(),
            to: request.to === undefined ? null : bounds.to.getTime(),
            sort: request.sort,
          });
    const to = resumed === null ? bounds.to : new Date(resumed.to);
    const interval = barInterval(entry.meta.interval);
    const spanPoints = Math.floor((to.getTime() - from.getTime()) / interval.ms) + 1;
    if (spanPoints > this.config.rangeCapPoints) {
      throw new RangeTooLargeError(this.config.rangeCapPoints, spanPoints, interval.label);
    }
    const query: PageQuery = { kind, id, from: from.getTime(), to: to.getTime(), sort: request.sort };
    const slices = bucketSlices(from, to);
    if (request.sort === 'desc') slices.reverse();
    let position: PagePosition = resumed ?? { bucketIndex: 0, pageState: null, lastTs: null };
    if (position.bucketIndex >= slices.length) throw new InvalidPageTokenError('malformed');

    const points: PricePoint[] = [];
    while (position.bucketIndex < slices.length && points.length < request.limit) {
      const slice = slices[position.bucketIndex] as BucketSlice; // in bounds: checked by the loop condition
      const page = await this.readBucketPage(kind, id, slice, position, request.limit - points.length, request.sort);
      points.push(...page.points);
      const lastTs = points.at(-1)?.ts.getTime() ?? position.lastTs;
      position = page.exhausted
        ? { bucketIndex: position.bucketIndex + 1, pageState: null, lastTs }
        : { bucketIndex: position.bucketIndex, pageState: page.pageState, lastTs };
    }
    const nextPageToken = position.bucketIndex < slices.length ? this.pageTokens.issue(query, position) : null;
    return { id, from, to, sort: request.sort, points, nextPageToken };
  }

  /**
   * One page of one bucket. Continues at the token's paging state; if Cassandra refuses
   * that state, resumes just past the last ts returned instead of failing the client.
   * A page read that way carries no paging state forward (it would belong to the narrowed
   * statement): the next one resumes by ts again.
   */
  private async readBucketPage(
    kind: SeriesKind,
    id: string,
    slice: BucketSlice,
    position: PagePosition,
    fetchSize: number,
    order: 'asc' | 'desc',
  ): Promise<BucketPage> {
    const narrowed = narrowPastLastTs(slice, position.lastTs, order);
    if (position.pageState === null && narrowed !== null) return this.readByTs(kind, id, narrowed, fetchSize, order);
    try {
      const page = await this.timeSeries.readSlice(kind, id, slice, {
        fetchSize,
        pageState: position.pageState,
        order,
      });
      return { points: page.points, pageState: page.pageState, exhausted: page.pageState === null };
    } catch (error) {
      if (position.pageState === null || narrowed === null || !isRefusedPagingState(error)) throw error;
      return this.readByTs(kind, id, narrowed, fetchSize, order);
    }
  }

  private async readByTs(
    kind: SeriesKind,
    id: string,
    slice: BucketSlice,
    fetchSize: number,
    order: 'asc' | 'desc',
  ): Promise<BucketPage> {
    const page = await this.timeSeries.readSlice(kind, id, slice, { fetchSize, order });
    return { points: page.points, pageState: null, exhausted: page.pageState === null };
  }
}

/**
 * A first page of this many rows or more is a bulk read (an export, a backfill of a
 * notebook): its client will very likely follow the token, so its next page is read ahead
 * at once. Smaller first pages (a dashboard's 100 rows) wait until the client shows it is
 * paging by sending a token.
 */
const BULK_FIRST_PAGE_ROWS = 1000;

function isPaging(request: RangeRequest): boolean {
  return request.pageToken !== undefined || request.limit >= BULK_FIRST_PAGE_ROWS;
}

/** The request a read-ahead page answers: the same series, bounds as sent, direction and token. */
function readAheadKey(kind: SeriesKind, id: string, request: RangeRequest): string {
  return JSON.stringify([kind, id, request.from, request.to ?? null, request.sort, request.pageToken]);
}

interface BucketPage {
  readonly points: PricePoint[];
  /** Where to continue inside the bucket; null with `exhausted: false` means "resume by ts". */
  readonly pageState: string | null;
  readonly exhausted: boolean;
}

/** The part of a slice after `lastTs` in walking order, or null if lastTs is not inside it. */
function narrowPastLastTs(slice: BucketSlice, lastTs: number | null, order: 'asc' | 'desc'): BucketSlice | null {
  if (lastTs === null || lastTs < slice.from.getTime() || lastTs > slice.to.getTime()) return null;
  return order === 'asc' ? { ...slice, from: new Date(lastTs + 1) } : { ...slice, to: new Date(lastTs - 1) };
}
