import type { BarInterval, DividendTerms, ExDate, ExchangeCalendar, SplitTerms } from '@market/domain';
import type { ProviderBar } from '../normalisation/provider-bar';

/** Providers serve bars in the domain's intervals and the normalisation layer's bar shape. */
export { BAR_INTERVALS, type BarInterval } from '@market/domain';
export type { ProviderBar } from '../normalisation/provider-bar';

/** A symbol's bars over `[from, to)`: `from` inclusive, `to` exclusive. */
export interface FetchRequest {
  readonly symbol: string;
  readonly from: Date;
  readonly to: Date;
  readonly interval: BarInterval;
}

/** A split or dividend as a provider reports it; the provider's id becomes its source. */
export type ProviderAction = (SplitTerms | DividendTerms) & { readonly exDate: ExDate; readonly knownAt?: Date };

/** A symbol's corporate actions with an ex-date in `[from, to)`. */
export interface ActionsRequest {
  readonly symbol: string;
  readonly from: Date;
  readonly to: Date;
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
  /**
   * The IANA zone of the exchange whose bars it serves, written to each series' catalog entry
   * as `meta.timezone` (bars at 1d/1w/1mo align to it); absent means UTC.
   */
  readonly timeZone?: string;
  /**
   * The exchange calendar its bars follow (sessions, holidays, early closes), written to each
   * series' catalog entry as `meta.calendar`; absent for sources that keep no exchange's hours.
   */
  readonly calendar?: ExchangeCalendar;
  /** The limit this provider enforces on itself (token bucket), to be reported. */
  readonly rateLimit: { readonly requestsPerSecond: number; readonly burst: number };
  /**
   * Bars with `from <= ts < to`, ascending by ts. Throws a `ProviderError` subclass naming
   * the provider, symbol and window; an aborted `signal` rejects with its reason.
   */
  fetchBars(request: FetchRequest, signal?: AbortSignal): Promise<ProviderBar[]>;
  /** Providers that publish splits and dividends (SPEC §11): those of the window, raw. */
  fetchActions?(request: ActionsRequest, signal?: AbortSignal): Promise<ProviderAction[]>;
}
