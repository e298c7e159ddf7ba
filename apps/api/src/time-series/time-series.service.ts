import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { type PageQuery, type PricePoint, RangeReader, type SeriesKind } from '@market/cassandra';
import { CatalogEntryCache } from '../catalog/catalog-entry.cache';
import { apiConfig } from '../config/api.config';
import { RangeTooLargeError, ResourceNotFoundError } from '../errors/api-errors';
import { PageTokens } from '../paging/page-tokens';
import { PageReadAhead } from './page-read-ahead';
import { parseRangeBounds } from './range-bounds';

/** A range without `from` starts at the first instant a bucket can name; the series' extent clamps it. */
const OPEN_FROM = '0001-01-01';

export interface RangeRequest {
  readonly from?: string;
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

/**
 * Range reads: bounds parsed, the series looked up, the page token checked and issued, and
 * the page read by the library's range reader (bucket walk, paging, extent, bounded work).
 */
@Injectable()
export class TimeSeriesService {
  constructor(
    private readonly catalog: CatalogEntryCache,
    private readonly ranges: RangeReader,
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
    const bounds = parseRangeBounds(request.from ?? OPEN_FROM, request.to, new Date());
    const { from } = bounds;
    const entry = await this.catalog.get(kind, id);
    if (entry === null) throw new ResourceNotFoundError(kind, id);
    // Raw bars: one base row read per row returned. The cap bounds base rows, not the span.
    if (request.limit > this.config.rangeCapPoints) {
      throw new RangeTooLargeError(this.config.rangeCapPoints, request.limit);
    }
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
    const query: PageQuery = { kind, id, from: from.getTime(), to: to.getTime(), sort: request.sort };
    const page = await this.ranges.readPage({
      kind,
      seriesId: id,
      from,
      to,
      order: request.sort,
      limit: request.limit,
      position: resumed,
      maxEmptyBuckets: this.config.rangeMaxEmptyBuckets,
    });
    const nextPageToken = page.next === null ? null : this.pageTokens.issue(query, page.next);
    return { id, from, to, sort: request.sort, points: page.points, nextPageToken };
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
