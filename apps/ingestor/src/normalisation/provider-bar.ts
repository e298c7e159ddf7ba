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
