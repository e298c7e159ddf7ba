import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InvalidPageTokenError, type PagePosition, type PageQuery, type SeriesKind } from '@market/cassandra';
import { type BarInterval, isFinerThan, parseBarInterval, parseTimeframe } from '@market/domain';
import { CatalogEntryCache } from '../catalog/catalog-entry.cache';
import { apiConfig } from '../config/api.config';
import { InvalidQueryError, UnknownSymbolsError } from '../errors/api-errors';
import { PageTokens } from '../paging/page-tokens';
import { parseRangeBounds } from './range-bounds';
import { type RequestedSymbol, parseSymbolList } from './symbol-list';
import { OPEN_FROM, type RangePage, type RangeRequest, TimeSeriesService } from './time-series.service';

/** A multi-series read: every parameter of a range read, and the symbols (`AAPL,MSFT,commodity:brent`). */
export interface MultiSeriesRequest extends RangeRequest {
  readonly symbols: string;
}

/** One series' share of a page: its symbol as requested and its page from the per-series read. */
export interface SeriesPage {
  readonly symbol: string;
  readonly page: RangePage;
}

export interface MultiSeriesPage {
  readonly from: Date;
  readonly to: Date;
  readonly sort: 'asc' | 'desc';
  /** The series this page served, in request order; a series may go on in the next page. */
  readonly series: SeriesPage[];
  readonly nextPageToken: string | null;
}

/** A symbol found in the catalog. */
interface ResolvedSymbol {
  readonly symbol: string;
  readonly kind: SeriesKind;
  readonly id: string;
  readonly interval: BarInterval | null;
}

/** The page-token kind of multi-series tokens; a series token never carries it. */
const MULTI_SERIES_KIND = 'bars';

/**
 * `GET /bars`: several series in one request (SPEC §10). Each series is read by
 * TimeSeriesService.readPage with the request as given (timeframe, tz and whatever a range
 * read learns later), so a series reads exactly as its own route; this service only walks
 * the list. Symbols come in request order, each range finished before the next; `limit`
 * counts items over all symbols, and the page's work (RANGE_CAP_POINTS base rows,
 * RANGE_MAX_EMPTY_BUCKETS empty bucket reads) is one budget shared by the series it reads.
 *
 * The page token is a signed token of the same codec, bound to the symbol list (a digest of
 * the resolved series), from, to, sort, timeframe and tz. Its position names the series to
 * go on with (`bucketIndex`: its index in the list) and that series' own page token, as
 * hex, in `pageState` (null: start the series afresh), which the per-series read checks
 * against the series' own query again.
 */
@Injectable()
export class MultiSeriesService {
  constructor(
    private readonly catalog: CatalogEntryCache,
    private readonly timeSeries: TimeSeriesService,
    private readonly pageTokens: PageTokens,
    @Inject(apiConfig.KEY) private readonly config: ConfigType<typeof apiConfig>,
  ) {}

  async readPage(request: MultiSeriesRequest): Promise<MultiSeriesPage> {
    const { symbols: symbolText, pageToken, ...range } = request;
    const requested = parseSymbolList(symbolText);
    const bounds = parseRangeBounds(request.from ?? OPEN_FROM, request.to, new Date());
    const series = await this.resolve(requested);
    const timeframe = request.timeframe === undefined ? null : parseTimeframe(request.timeframe);
    if (timeframe !== null) {
      const finer = series.filter((entry) => entry.interval !== null && isFinerThan(timeframe, entry.interval));
      if (finer.length > 0) {
        throw new InvalidQueryError(
          'timeframe',
          `timeframe ${timeframe} is finer than the stored interval of ` +
            finer.map((entry) => `${entry.symbol} (${entry.interval})`).join(', '),
        );
      }
    }
    const bound = {
      kind: MULTI_SERIES_KIND,
      id: listDigest(series),
      from: bounds.from.getTime(),
      sort: request.sort,
      ...(request.timeframe === undefined ? {} : { timeframe: timeframe ?? request.timeframe }),
      ...(request.tz === undefined ? {} : { tz: request.tz }),
    };
    const resumed =
      pageToken === undefined
        ? null
        : this.pageTokens.read(pageToken, { ...bound, to: request.to === undefined ? null : bounds.to.getTime() });
    // A range left open ends, for every series and page, where the first page put it.
    const to = resumed === null ? bounds.to : new Date(resumed.to);
    const query: PageQuery = { ...bound, to: to.getTime() };
    // Only a token forged with our key could name a series past the list.
    if (resumed !== null && resumed.bucketIndex >= series.length) throw new InvalidPageTokenError('malformed');

    const pages: SeriesPage[] = [];
    let index = resumed?.bucketIndex ?? 0;
    let seriesToken = resumed?.pageState === null || resumed === null ? undefined : tokenOfHex(resumed.pageState);
    let items = 0;
    const spent = { baseRows: 0, emptyBuckets: 0 };
    const next = (position: PagePosition | null) => ({
      from: bounds.from,
      to,
      sort: request.sort,
      series: pages,
      nextPageToken: position === null ? null : this.pageTokens.issue(query, position),
    });
    for (;;) {
      const entry = series[index];
      if (entry === undefined) return next(null);
      const caps = { baseRows: this.config.rangeCapPoints, emptyBuckets: this.config.rangeMaxEmptyBuckets };
      const remaining = {
        baseRows: caps.baseRows - spent.baseRows,
        emptyBuckets: caps.emptyBuckets - spent.emptyBuckets,
      };
      const seriesRequest: RangeRequest = {
        ...range,
        to: request.to ?? to.toISOString(),
        limit: request.limit - items,
        budget: remaining,
        ...(seriesToken === undefined ? {} : { pageToken: seriesToken }),
      };
      let page: RangePage;
      try {
        page = await this.timeSeries.readPage(entry.kind, entry.id, seriesRequest);
      } catch (error) {
        // A bar too big for what is left of the budget: the next page starts with this series.
        if (pages.length > 0 && error instanceof InvalidQueryError && error.parameter === 'timeframe') {
          return next(seriesPosition(index, null));
        }
        throw error;
      }
      pages.push({ symbol: entry.symbol, page });
      items += page.aggregation === undefined ? page.points.length : page.aggregation.bars.length;
      spent.baseRows += page.work?.baseRows ?? 0;
      spent.emptyBuckets += page.work?.emptyBuckets ?? 0;
      if (page.nextPageToken !== null) return next(seriesPosition(index, page.nextPageToken));
      index += 1;
      seriesToken = undefined;
      if (index === series.length) return next(null);
      const spentAll = spent.baseRows >= caps.baseRows || spent.emptyBuckets >= caps.emptyBuckets;
      if (items >= request.limit || spentAll) return next(seriesPosition(index, null));
    }
  }

  /** The catalog entry of every symbol (assets first, then commodities); all unknown ones in one 404. */
  private async resolve(requested: RequestedSymbol[]): Promise<ResolvedSymbol[]> {
    const found = await Promise.all(
      requested.map(async ({ symbol, id, kind }) => {
        for (const candidate of kind === null ? (['asset', 'commodity'] as const) : [kind]) {
          const entry = await this.catalog.get(candidate, id);
          if (entry !== null) {
            return { symbol, kind: candidate, id, interval: parseBarInterval(entry.meta.interval ?? '') };
          }
        }
        return null;
      }),
    );
    const unknown = requested.filter((_, index) => found[index] === null).map(({ symbol }) => symbol);
    if (unknown.length > 0) throw new UnknownSymbolsError(unknown);
    const series = found.filter((entry): entry is ResolvedSymbol => entry !== null);
    const seen = new Map<string, string>();
    for (const entry of series) {
      const key = `${entry.kind}:${entry.id}`;
      const first = seen.get(key);
      if (first !== undefined) {
        throw new InvalidQueryError('symbols', `symbols names ${key} twice ("${first}" and "${entry.symbol}")`);
      }
      seen.set(key, entry.symbol);
    }
    return series;
  }
}

function seriesPosition(index: number, seriesToken: string | null): PagePosition {
  return {
    bucketIndex: index,
    pageState: seriesToken === null ? null : Buffer.from(seriesToken, 'utf8').toString('hex'),
    lastTs: null,
  };
}

function tokenOfHex(hex: string): string {
  return Buffer.from(hex, 'hex').toString('utf8');
}

/** Binds a token to the list: the resolved series in order, and the symbols they were asked as. */
function listDigest(series: readonly ResolvedSymbol[]): string {
  const list = JSON.stringify(series.map(({ symbol, kind, id }) => [symbol, kind, id]));
  return createHash('sha256').update(list).digest('base64url');
}
