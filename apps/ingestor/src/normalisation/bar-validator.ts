import { type BarValues, isDecimalText } from '@market/cassandra';
import type { ProviderBar } from '../providers/price-provider.interface';
import { comparePlainDecimals, isPlainDecimal, roundHalfUp } from './decimal-text';

/**
 * A bar fit to be written, in the store's terms (`price` is the close): every decimal
 * exact, volume a whole number.
 */
export interface ValidBar extends BarValues {
  readonly open: string | null;
  readonly high: string | null;
  readonly low: string | null;
  readonly volume: number | null;
}

/** Why a bar was not accepted; counted and logged per reason by the caller. */
export type RejectReason =
  | 'missing_close'
  | 'not_a_number'
  | 'non_positive_price'
  | 'negative_volume'
  | 'duplicate_ts'
  | 'future_ts'
  | 'ohlc_inconsistent'
  | 'volume_out_of_range';

export interface RejectedBar {
  readonly bar: ProviderBar;
  readonly reason: RejectReason;
}

export interface ValidationResult {
  readonly accepted: ValidBar[];
  readonly rejected: RejectedBar[];
}

export interface ValidationOptions {
  /** How far past `now` a bar may start and still count as present (clock skew). Default 0. */
  readonly futureToleranceMs?: number;
}

const MAX_SAFE_VOLUME = String(Number.MAX_SAFE_INTEGER);
const WHOLE_NUMBER = /^\d+$/;

/**
 * Splits a provider's bars into those that may be written and those that may not, each
 * with its first failing rule (SPEC §3, §5). Pure: input order is kept, nothing is thrown.
 * Of several bars with the same ts the first *acceptable* one is kept, so a broken first
 * copy does not shadow a good second one.
 */
export function validateBars(
  bars: readonly ProviderBar[],
  now: Date,
  options: ValidationOptions = {},
): ValidationResult {
  const latestAllowed = now.getTime() + (options.futureToleranceMs ?? 0);
  const accepted: ValidBar[] = [];
  const rejected: RejectedBar[] = [];
  const seen = new Set<number>();
  for (const bar of bars) {
    const checked = checkBar(bar, latestAllowed);
    if (typeof checked === 'string') {
      rejected.push({ bar, reason: checked });
      continue;
    }
    const ts = checked.ts.getTime();
    if (seen.has(ts)) {
      rejected.push({ bar, reason: 'duplicate_ts' });
      continue;
    }
    seen.add(ts);
    accepted.push(checked);
  }
  return { accepted, rejected };
}

function checkBar(bar: ProviderBar, latestAllowed: number): ValidBar | RejectReason {
  const { close, open, high, low } = bar;
  if (close === null) return 'missing_close';
  const ts = bar.ts.getTime();
  // Exponents ("1e-7") must have been expanded by the adapter; the store's decimal also
  // bounds the digits (40 integer, 20 fraction), and a value it cannot hold is no number to us.
  // (Each price is checked on its own, not through an array: this runs for every bar ingested.)
  if (Number.isNaN(ts) || !isDecimalText(close) || !isAbsentOr(open, isDecimalText)) return 'not_a_number';
  if (!isAbsentOr(high, isDecimalText) || !isAbsentOr(low, isDecimalText)) return 'not_a_number';
  if (bar.volume !== null && !isPlainDecimal(bar.volume)) return 'not_a_number';
  if (!isPositive(close) || !isAbsentOr(open, isPositive)) return 'non_positive_price';
  if (!isAbsentOr(high, isPositive) || !isAbsentOr(low, isPositive)) return 'non_positive_price';
  const volume = bar.volume === null ? null : wholeVolume(bar.volume);
  if (volume === 'negative_volume' || volume === 'volume_out_of_range') return volume;
  if (!isConsistent(bar, close)) return 'ohlc_inconsistent';
  if (ts > latestAllowed) return 'future_ts';
  return { ts: bar.ts, price: close, open, high, low, volume };
}

/**
 * The bigint volume column holds whole units. Crypto venues report fractional base-asset
 * volume ("12.34567"): it is rounded half-up to whole units (12), so a bar's volume is
 * never overstated by more than half a unit. Beyond 2^53 a JS number is inexact: rejected.
 */
function wholeVolume(volume: string): number | 'negative_volume' | 'volume_out_of_range' {
  // Most volumes are short whole numbers: exact as a JS number straight away.
  if (volume.length < 16 && WHOLE_NUMBER.test(volume)) return Number(volume);
  if (comparePlainDecimals(volume, '0') < 0) return 'negative_volume';
  const whole = roundHalfUp(volume, 0);
  if (comparePlainDecimals(whole, MAX_SAFE_VOLUME) > 0) return 'volume_out_of_range';
  return Number(whole);
}

function isAbsentOr(price: string | null, test: (price: string) => boolean): boolean {
  return price === null || test(price);
}

function isPositive(price: string): boolean {
  return comparePlainDecimals(price, '0') > 0;
}

/** low ≤ high, and open and close inside [low, high], for whichever of them are present. */
function isConsistent(bar: ProviderBar, close: string): boolean {
  const { open, high, low } = bar;
  if (low !== null && high !== null && comparePlainDecimals(low, high) > 0) return false;
  return isInside(close, low, high) && (open === null || isInside(open, low, high));
}

function isInside(price: string, low: string | null, high: string | null): boolean {
  return (
    (low === null || comparePlainDecimals(price, low) >= 0) && (high === null || comparePlainDecimals(price, high) <= 0)
  );
}
