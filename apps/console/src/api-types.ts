/** The parts of the public API's JSON (apps/api/openapi.json) the console reads. */

export type SeriesKind = 'asset' | 'commodity';

/** A catalog entry of either kind, as the console lists it. */
export interface CatalogEntry {
  readonly kind: SeriesKind;
  readonly id: string;
  readonly symbol: string | null;
  readonly name: string | null;
  readonly meta: Readonly<Record<string, unknown>>;
}

export interface AssetDto {
  readonly asset_id: string;
  readonly symbol: string | null;
  readonly name: string | null;
  readonly meta: Record<string, unknown>;
}

export interface CommodityDto {
  readonly commodity_id: string;
  readonly symbol: string | null;
  readonly name: string | null;
  readonly meta: Record<string, unknown>;
}

export interface CatalogPage<Item> {
  readonly items: Item[];
  readonly next_page_token: string | null;
}

/** One bar of a range page; prices are exact decimal strings. */
export interface PricePoint {
  readonly ts: string;
  readonly price: string;
  readonly open: string | null;
  readonly high: string | null;
  readonly low: string | null;
  readonly volume: number | null;
  readonly bar_count?: number;
  readonly complete?: boolean;
  readonly adjustment_factor?: string | null;
}

export interface PricePage {
  readonly items: PricePoint[];
  readonly next_page_token: string | null;
}

export interface QuoteDto extends PricePoint {
  readonly asset_id: string;
}

export type SessionStatus = 'complete' | 'partial' | 'missing' | 'no_session';

export interface MissingRange {
  readonly from: string;
  readonly to: string;
  readonly bars: number;
}

export interface SessionCoverage {
  readonly date: string;
  readonly status: SessionStatus;
  readonly open: string | null;
  readonly close: string | null;
  readonly expected: number;
  readonly present: number;
  readonly missing: MissingRange[];
}

export interface CoverageReport {
  readonly interval: string;
  readonly sessions: SessionCoverage[];
}

/** RFC 9457 problem details, as every error of the API is sent. */
export interface Problem {
  readonly type?: string;
  readonly title?: string;
  readonly status?: number;
  readonly detail?: string;
  readonly errors?: unknown[];
}

/** Timeframes of the range routes, finest first, with their width (months and weeks approximately). */
export const TIMEFRAMES = [
  { value: '1m', label: '1m', ms: 60_000 },
  { value: '5m', label: '5m', ms: 300_000 },
  { value: '15m', label: '15m', ms: 900_000 },
  { value: '30m', label: '30m', ms: 1_800_000 },
  { value: '1h', label: '1H', ms: 3_600_000 },
  { value: '4h', label: '4H', ms: 14_400_000 },
  { value: '1d', label: 'D', ms: 86_400_000 },
  { value: '1w', label: 'W', ms: 7 * 86_400_000 },
  { value: '1mo', label: 'M', ms: 30 * 86_400_000 },
] as const;

export type Timeframe = (typeof TIMEFRAMES)[number]['value'];

export type Adjustment = 'raw' | 'split' | 'dividend' | 'all';

/** The width of a timeframe in milliseconds (a month counts 30 days). */
export function timeframeMs(timeframe: Timeframe): number {
  return TIMEFRAMES.find((entry) => entry.value === timeframe)?.ms ?? 60_000;
}

/** A timeframe label of the API, or null. */
export function parseTimeframe(text: string | null | undefined): Timeframe | null {
  return TIMEFRAMES.find((entry) => entry.value === text)?.value ?? null;
}
