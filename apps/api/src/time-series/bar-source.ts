import type { PagePosition, SeriesKind } from '@market/cassandra';
import type { AggregatedBar, PriceAdjustment, TimeZone, Timeframe } from '@market/domain';

/** One page of aggregated bars of one series, as the service asks a bar source for it. */
export interface BarPageRequest {
  readonly kind: SeriesKind;
  readonly seriesId: string;
  readonly timeframe: Timeframe;
  readonly zone: TimeZone;
  /** Base rows to read, both inclusive: from the first bar's start to the last bar's end − 1. */
  readonly from: Date;
  readonly to: Date;
  readonly order: 'asc' | 'desc';
  /** At most this many bars. */
  readonly limit: number;
  /** Where the previous page stopped (from its token); null for the first page. */
  readonly position: PagePosition | null;
  /** At most this many base rows read (RANGE_CAP_POINTS). */
  readonly maxBaseRows: number;
  readonly maxEmptyBuckets: number;
  /** Adjusted reads only: applied to each base bar or daily rollup before the fold (adjustments/adjusted-page.ts). */
  readonly adjustment?: PriceAdjustment;
}

/** A bar with the instant its interval ends (the next bar's start), so the service can say `complete`. */
export interface TimedBar extends AggregatedBar {
  readonly end: number;
}

export interface BarPage {
  /** Whole bars in walking order. */
  readonly bars: TimedBar[];
  /** Where the next page starts (always at a bar boundary or between bars); null when the range is done. */
  readonly next: PagePosition | null;
  /** The work the page did (rollup rows count as base rows). */
  readonly work: ReadWork;
}

/** Work of a read: base rows read (RANGE_CAP_POINTS) and bucket reads that found nothing (RANGE_MAX_EMPTY_BUCKETS). */
export interface ReadWork {
  readonly baseRows: number;
  readonly emptyBuckets: number;
}

/** Something that serves aggregated bars a page at a time: base rows aggregated on the fly, or rollups. */
export interface BarSource {
  readBars(request: BarPageRequest): Promise<BarPage>;
}

/**
 * The seam for `1d`, `1w` and `1mo` reads. Bound to the on-the-fly aggregation of base bars
 * (BaseBarAggregator) until daily rollups exist; a rollup-backed BarSource replaces it by
 * rebinding this one token in time-series.module.ts.
 */
export const DAILY_BAR_SOURCE = Symbol('DAILY_BAR_SOURCE');

/** Intraday timeframes (`1m` … `4h`): always aggregated from base bars on the fly. */
export const INTRADAY_BAR_SOURCE = Symbol('INTRADAY_BAR_SOURCE');

/** Timeframes served through DAILY_BAR_SOURCE. */
export function isCalendarTimeframe(timeframe: Timeframe): boolean {
  return timeframe === '1d' || timeframe === '1w' || timeframe === '1mo';
}
