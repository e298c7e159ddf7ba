import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { type PageQuery, RangeReader, type SeriesKind } from '@market/cassandra';
import {
  type BarInterval,
  type TimeZone,
  type Timeframe,
  catalogTimeZone,
  isFinerThan,
  nextTimeframeStartMs,
  parseBarInterval,
  parseTimeZone,
  parseTimeframe,
  timeframeStartMs,
} from '@market/domain';
import { CatalogEntryCache } from '../catalog/catalog-entry.cache';
import { apiConfig } from '../config/api.config';
import { InvalidQueryError, RangeTooLargeError, ResourceNotFoundError } from '../errors/api-errors';
import { PageTokens } from '../paging/page-tokens';
import { type FillMode, GapFiller, fillBinding } from '../coverage/gap-filler';
import {
  type BarSource,
  DAILY_BAR_SOURCE,
  INTRADAY_BAR_SOURCE,
  type ReadWork,
  type TimedBar,
  isCalendarTimeframe,
} from './bar-source';
import { PageReadAhead } from './page-read-ahead';
import { CorporateActionsService } from '../adjustments/corporate-actions.service';
import * as adjusted from '../adjustments/adjusted-page';
import { parseRangeBounds } from './range-bounds';

/** A range without `from` starts at the first instant a bucket can name; the series' extent clamps it. */
export const OPEN_FROM = '0001-01-01';

export interface RangeRequest {
  readonly from?: string;
  readonly to?: string;
  readonly limit: number;
  readonly sort: 'asc' | 'desc';
  readonly pageToken?: string;
  /** A timeframe label or Alpaca alias; absent means the stored interval (raw bars). */
  readonly timeframe?: string;
  /** An IANA zone overriding the series' own for bar alignment. */
  readonly tz?: string;
  /** The work this read may do, when less than a request's (a multi-series page shares one). */
  readonly budget?: ReadWork;
  /** `previous`: missing bars inside sessions carry the last close (coverage/gap-filler.ts). */
  readonly fill?: FillMode;
  /** `raw` (default), `split`, `dividend` or `all`, and the instant whose known ex-dates apply (SPEC §11). */
  readonly adjustment?: string;
  readonly adjustmentAsof?: string;
}

/** An aggregated bar as served: whole, with whether its interval has ended. */
export interface ServedBar extends TimedBar {
  readonly complete: boolean;
  readonly adjustmentFactor?: string | null;
}

/** Present when the page holds aggregated bars (a timeframe coarser than the stored interval). */
export interface Aggregation {
  readonly timeframe: Timeframe;
  readonly tz: string;
  readonly bars: ServedBar[];
}

export interface RangePage {
  readonly id: string;
  readonly from: Date;
  readonly to: Date;
  readonly sort: 'asc' | 'desc';
  readonly points: adjusted.AdjustedPricePoint[];
  readonly aggregation?: Aggregation;
  /** Adjusted reads only: the adjustment and the as-of instant applied. */
  readonly adjustment?: adjusted.AppliedAdjustment;
  readonly nextPageToken: string | null;
  /** The work this page did, for callers that share a budget over several reads. */
  readonly work?: ReadWork;
  /** fill=previous: the instants of the bars the page filled in. */
  readonly filled?: ReadonlySet<number>;
}

/** A series whose interval the catalog does not state is read as one-minute bars (the finest). */
const ASSUMED_INTERVAL: BarInterval = '1m';

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
    @Inject(INTRADAY_BAR_SOURCE) private readonly intradayBars: BarSource,
    @Inject(DAILY_BAR_SOURCE) private readonly dailyBars: BarSource,
    @Inject(apiConfig.KEY) private readonly config: ConfigType<typeof apiConfig>,
    private readonly gapFiller: GapFiller,
    private readonly corporateActions: CorporateActionsService,
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
    return request.fill === 'previous' ? this.gapFiller.fill(kind, id, page) : page;
  }

  async readPage(kind: SeriesKind, id: string, request: RangeRequest): Promise<RangePage> {
    const now = new Date();
    const bounds = parseRangeBounds(request.from ?? OPEN_FROM, request.to, now);
    const { from } = bounds;
    const requested = request.timeframe === undefined ? null : parseTimeframeParameter(request.timeframe);
    const tzOverride = request.tz === undefined ? null : parseZoneParameter(request.tz);
    const adjusting = adjusted.adjustmentParameters(request.adjustment, request.adjustmentAsof);
    const entry = await this.catalog.get(kind, id);
    if (entry === null) throw new ResourceNotFoundError(kind, id);
    const stored = parseBarInterval(entry.meta.interval ?? '') ?? ASSUMED_INTERVAL;
    if (requested !== null && isFinerThan(requested, stored)) {
      throw new InvalidQueryError(
        'timeframe',
        `timeframe ${requested} is finer than the series' stored interval ${stored}: ask for ${stored} or coarser`,
      );
    }
    // Raw bars: one base row read per row returned. The cap bounds base rows, not the span.
    if (request.limit > this.config.rangeCapPoints) {
      throw new RangeTooLargeError(this.config.rangeCapPoints, request.limit);
    }
    if (requested !== null && requested !== stored) {
      const zone = tzOverride ?? parseTimeZone(catalogTimeZone(entry.meta));
      return this.readBarsPage(kind, id, request, { from, to: bounds.to, now }, requested, zone, adjusting);
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
            ...fillBinding(request.fill),
            ...adjusted.adjustmentToCheck(adjusting),
          });
    const to = resumed === null ? bounds.to : new Date(resumed.to);
    const applied = adjusted.appliedAdjustment(adjusting, resumed, now);
    const query: PageQuery = {
      ...{ kind, id, from: from.getTime(), to: to.getTime(), sort: request.sort },
      ...fillBinding(request.fill),
      ...applied,
    };
    const budget = this.budgetOf(request);
    const page = await this.ranges.readPage({
      kind,
      seriesId: id,
      from,
      to,
      order: request.sort,
      limit: Math.min(request.limit, budget.baseRows),
      position: resumed,
      maxEmptyBuckets: budget.emptyBuckets,
    });
    const nextPageToken = page.next === null ? null : this.pageTokens.issue(query, page.next);
    const work = { baseRows: page.points.length, emptyBuckets: page.emptyReads };
    if (applied === null) return { id, from, to, sort: request.sort, points: page.points, nextPageToken, work };
    const points = adjusted.adjustPricePoints(page.points, await this.corporateActions.adjustmentOf(kind, id, applied));
    return { id, from, to, sort: request.sort, points, nextPageToken, adjustment: applied, work };
  }

  /**
   * A page of aggregated bars: the bars whose start lies in [from, to], each whole (its base
   * rows may run past `to`). 1d/1w/1mo come from DAILY_BAR_SOURCE, the seam rollups replace.
   */
  private async readBarsPage(
    kind: SeriesKind,
    id: string,
    request: RangeRequest,
    bounds: { readonly from: Date; readonly to: Date; readonly now: Date },
    timeframe: Timeframe,
    zone: TimeZone,
    adjusting: adjusted.AdjustmentParameters | null,
  ): Promise<RangePage> {
    const { from, now } = bounds;
    const toCheck = request.to === undefined ? null : bounds.to.getTime();
    const bound = {
      kind,
      id,
      from: from.getTime(),
      sort: request.sort,
      timeframe,
      tz: zone.name,
      ...fillBinding(request.fill),
    };
    const checked = { ...bound, to: toCheck, ...adjusted.adjustmentToCheck(adjusting) };
    const resumed = request.pageToken === undefined ? null : this.pageTokens.read(request.pageToken, checked);
    const to = resumed === null ? bounds.to : new Date(resumed.to);
    const applied = adjusted.appliedAdjustment(adjusting, resumed, now);
    const adjustment = applied === null ? undefined : await this.corporateActions.adjustmentOf(kind, id, applied);
    const query: PageQuery = { ...bound, to: to.getTime(), ...applied };
    const firstStart = timeframeStartMs(from.getTime(), timeframe, zone);
    const baseFrom = firstStart === from.getTime() ? firstStart : nextTimeframeStartMs(firstStart, timeframe, zone);
    const baseTo = nextTimeframeStartMs(timeframeStartMs(to.getTime(), timeframe, zone), timeframe, zone) - 1;
    const empty = {
      id,
      from,
      to,
      sort: request.sort,
      points: [],
      nextPageToken: null,
      ...(applied && { adjustment: applied }),
    };
    if (baseFrom > to.getTime()) return { ...empty, aggregation: { timeframe, tz: zone.name, bars: [] } };
    const source = isCalendarTimeframe(timeframe) ? this.dailyBars : this.intradayBars;
    const budget = this.budgetOf(request);
    const page = await source.readBars({
      kind,
      seriesId: id,
      timeframe,
      zone,
      from: new Date(baseFrom),
      to: new Date(baseTo),
      order: request.sort,
      limit: request.limit,
      position: resumed,
      maxBaseRows: budget.baseRows,
      maxEmptyBuckets: budget.emptyBuckets,
      ...(adjustment === undefined ? {} : { adjustment }),
    });
    const finished = adjustment === undefined ? page.bars : adjusted.finishAdjustedBars(page.bars, adjustment);
    const bars = finished.map((bar) => ({ ...bar, complete: bar.end <= now.getTime() }));
    return {
      ...empty,
      aggregation: { timeframe, tz: zone.name, bars },
      nextPageToken: page.next === null ? null : this.pageTokens.issue(query, page.next),
      work: page.work,
    };
  }

  /** The request's own budget, else a whole request's: RANGE_CAP_POINTS and RANGE_MAX_EMPTY_BUCKETS. */
  private budgetOf(request: RangeRequest): ReadWork {
    return request.budget ?? { baseRows: this.config.rangeCapPoints, emptyBuckets: this.config.rangeMaxEmptyBuckets };
  }
}

function parseTimeframeParameter(text: string): Timeframe {
  const timeframe = parseTimeframe(text);
  if (timeframe === null) {
    throw new InvalidQueryError(
      'timeframe',
      `timeframe "${text.slice(0, 32)}" is not one of 1m 5m 15m 30m 1h 4h 1d 1w 1mo (or 1Min 5Min 15Min 30Min 1Hour 4Hour 1Day 1Week 1Month)`,
    );
  }
  return timeframe;
}

function parseZoneParameter(text: string): TimeZone {
  try {
    return parseTimeZone(text);
  } catch {
    throw new InvalidQueryError(
      'tz',
      `tz "${text.slice(0, 64)}" is not an IANA time zone (e.g. America/New_York, UTC)`,
    );
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
  return JSON.stringify([
    kind,
    id,
    request.from,
    request.to ?? null,
    request.sort,
    request.timeframe ?? null,
    request.tz ?? null,
    request.fill ?? null,
    request.pageToken,
    ...(request.adjustment === undefined ? [] : [request.adjustment, request.adjustmentAsof ?? null]),
  ]);
}
