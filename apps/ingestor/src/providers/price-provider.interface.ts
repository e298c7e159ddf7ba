import type { BarInterval } from '@market/domain';

/** Providers serve bars in the domain's intervals; re-exported as part of the provider contract. */
export { BAR_INTERVALS, type BarInterval } from '@market/domain';

/**
 * One OHLCV bar as a provider delivered it, before validation. Decimals are exact strings in
 * plain notation (never an exponent), digit for digit what the provider meant; null where
 * the provider has no value. `ts` is the bar's start as a UTC instant; a daily bar starts at
 * 00:00 UTC of its trading date, whatever zone the provider speaks.
 */
export interface ProviderBar {
  readonly ts: Date;
  readonly open: string | null;
  readonly high: string | null;
  readonly low: string | null;
  readonly close: string | null;
  readonly volume: string | null;
}

/** A symbol's bars over `[from, to)`: `from` inclusive, `to` exclusive. */
export interface FetchRequest {
  readonly symbol: string;
  readonly from: Date;
  readonly to: Date;
  readonly interval: BarInterval;
}

/**
 * A source of price bars. Adding one is a new folder under `providers/` and one line in
 * `provider-registry.ts`.
 */
export interface PriceProvider {
  /** The `source_id` written with every row, e.g. `yahoo`. */
  readonly id: string;
  readonly name: string;
  /** Provenance for `data_sources`. */
  readonly url: string;
  readonly intervals: readonly BarInterval[];
  /** The limit this provider enforces on itself (token bucket), to be reported. */
  readonly rateLimit: { readonly requestsPerSecond: number; readonly burst: number };
  /**
   * Bars with `from <= ts < to`, ascending by ts. Throws a `ProviderError` subclass naming
   * the provider, symbol and window; an aborted `signal` rejects with its reason.
   */
  fetchBars(request: FetchRequest, signal?: AbortSignal): Promise<ProviderBar[]>;
}
