import { types } from 'cassandra-driver';

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

/** The driver value for a decimal string; throws RangeError on anything else. */
export function toBigDecimal(text: string): types.BigDecimal {
  if (!isDecimalText(text)) throw new RangeError(`not a plain decimal number: "${text}"`);
  return types.BigDecimal.fromString(text);
}

/** The exact decimal string of a stored value, scale preserved ("189.10"). */
export function decimalText(value: types.BigDecimal): string {
  return value.toString();
}
