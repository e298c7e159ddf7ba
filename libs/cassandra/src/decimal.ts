import type { types } from 'cassandra-driver';

/**
 * Prices travel as decimal strings end to end ("189.10" stays "189.10"): a JS number
 * cannot hold most decimal fractions exactly. At most 40 integer and 20 fraction digits,
 * plain notation only, because the driver's BigDecimal.fromString silently misreads
 * exponents ("1e3" becomes 1).
 */
const DECIMAL_TEXT = /^-?\d{1,40}(\.\d{1,20})?$/;

/** True for a plain decimal string the store accepts. */
export function isDecimalText(text: string): boolean {
  return DECIMAL_TEXT.test(text);
}

/** A plain decimal as its unscaled integer and scale: "189.10" is 18910 and 2. */
export interface ShortDecimal {
  readonly unscaled: number;
  readonly scale: number;
}

/** The one result scanShortDecimal hands out, overwritten by its next call. */
const scanned = { unscaled: 0, scale: 0 };

/**
 * Reads a plain decimal of at most 15 characters (every realistic price), or returns null
 * for anything else, which then takes the general, checked paths. At most 15 digits keep
 * the unscaled value a safe integer, so it is exact. One pass over the characters with no
 * regex, slices or intermediate strings: the ingestor reads four decimals per bar, twice
 * (to validate and to encode). The result is one shared object, overwritten by the next
 * call, so that no call allocates: read it at once.
 */
export function scanShortDecimal(text: string): ShortDecimal | null {
  if (text.length > 15) return null;
  const negative = text.charCodeAt(0) === 45; // '-'
  let unscaled = 0;
  let integerDigits = 0;
  let scale = -1; // -1 until the point
  for (let index = negative ? 1 : 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code >= 48 && code <= 57) {
      unscaled = unscaled * 10 + (code - 48);
      if (scale < 0) integerDigits += 1;
      else scale += 1;
    } else if (code === 46 && scale < 0 && integerDigits > 0) {
      scale = 0;
    } else {
      return null;
    }
  }
  if (integerDigits === 0 || scale === 0) return null; // "", "-", ".5" and "5." are not plain decimals
  scanned.unscaled = negative ? 0 - unscaled : unscaled; // 0 - 0 is 0, where -0 would be -0
  scanned.scale = Math.max(scale, 0);
  return scanned;
}

interface BigDecimalInternals {
  readonly _intVal?: { toNumber(): number };
  readonly _scale?: unknown;
}

/**
 * The exact decimal string of a stored value, scale preserved ("189.10"). Range reads
 * convert four decimals per row, and the driver's toString goes through its own arbitrary-
 * precision integer division; when the unscaled value is a safe integer (every price we
 * store) the digits come from a plain number instead, ~5x faster. Anything else, or a
 * driver whose internals differ, takes the driver's own toString.
 */
export function decimalText(value: types.BigDecimal): string {
  const { _intVal: unscaledValue, _scale: scale } = value as unknown as BigDecimalInternals;
  if (unscaledValue === undefined || typeof scale !== 'number' || scale < 0) return value.toString();
  const unscaled = unscaledValue.toNumber();
  return Number.isSafeInteger(unscaled) ? plainDecimalText(unscaled, scale) : value.toString();
}

/** The plain decimal text of unscaled × 10^-scale. */
export function plainDecimalText(unscaled: number | bigint, scale: number): string {
  const negative = unscaled < 0;
  const magnitude = (negative ? -unscaled : unscaled).toString();
  const sign = negative ? '-' : '';
  if (scale <= 0) return magnitude === '0' ? '0' : `${sign}${magnitude}${'0'.repeat(-scale)}`;
  const digits = magnitude.padStart(scale + 1, '0');
  return `${sign}${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
}
