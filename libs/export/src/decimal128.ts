/**
 * Parquet prices are DECIMAL(38, 20) in 16-byte two's complement: 20 fraction digits hold
 * every fraction the store accepts (DECIMAL_TEXT_LIMITS), and 38 is the widest precision that
 * DuckDB, Spark, Trino and pyarrow read as an exact decimal (wider ones become doubles). A
 * value needing more integer digits (18 here) is an error, never rounded.
 */
export const PARQUET_DECIMAL = { precision: 38, scale: 20 } as const;

const PLAIN_DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** A decimal text that a DECIMAL(precision, scale) column cannot hold without rounding. */
export class DecimalOutOfRangeError extends Error {
  override readonly name = 'DecimalOutOfRangeError';

  constructor(
    readonly column: string,
    readonly value: string,
  ) {
    super(
      `${column} value "${value.slice(0, 80)}" does not fit DECIMAL(${PARQUET_DECIMAL.precision}, ` +
        `${PARQUET_DECIMAL.scale}) without rounding; export it as CSV or NDJSON instead`,
    );
  }
}

/** The unscaled integer of a plain decimal text at PARQUET_DECIMAL's scale; throws when it does not fit. */
export function unscaledDecimal(column: string, text: string): bigint {
  const match = PLAIN_DECIMAL.exec(text);
  if (match === null) throw new DecimalOutOfRangeError(column, text);
  const [, sign = '', integerDigits = '', fractionDigits = ''] = match;
  const fraction = fractionDigits.replace(/0+$/, '');
  const integer = integerDigits.replace(/^0+/, '');
  if (fraction.length > PARQUET_DECIMAL.scale || integer.length > PARQUET_DECIMAL.precision - PARQUET_DECIMAL.scale) {
    throw new DecimalOutOfRangeError(column, text);
  }
  const unscaled = BigInt(`${integer}${fraction.padEnd(PARQUET_DECIMAL.scale, '0')}`);
  return sign === '-' ? -unscaled : unscaled;
}

const TWO_TO_32 = 2 ** 32;
const POWERS_OF_TEN = [1, 10, 100, 1000, 10_000];
/** Digits that always fit a double exactly (10^15 < 2^53). */
const EXACT_DIGITS = 15;

/**
 * Writes a plain decimal text's unscaled DECIMAL(38, 20) value as four little-endian 32-bit
 * words (Arrow's Decimal128 layout) at `words[4 * index]`; throws as unscaledDecimal does.
 * A Parquet export converts four prices per row, and unscaledDecimal's regex, BigInt parse
 * and 128-bit split cost 0.6 µs each (a quarter of a year's export). Every price we store has
 * at most 15 digits, so its digits fit a double exactly and are scaled limb by limb in plain
 * arithmetic, with no allocation; anything longer takes unscaledDecimal.
 */
export function writeDecimal128(column: string, text: string, words: Uint32Array, index: number): void {
  const negative = text.charCodeAt(0) === 45; // '-'
  let digits = 0;
  let fractionDigits = -1; // -1: no point seen
  let value = 0;
  for (let at = negative ? 1 : 0; at < text.length; at += 1) {
    const code = text.charCodeAt(at);
    if (code === 46 && fractionDigits === -1 && digits > 0) {
      fractionDigits = 0;
      continue;
    }
    const digit = code - 48;
    if (digit < 0 || digit > 9 || digits === EXACT_DIGITS) {
      writeWords(unscaledDecimal(column, text), words, index);
      return;
    }
    value = value * 10 + digit;
    digits += 1;
    if (fractionDigits >= 0) fractionDigits += 1;
  }
  // No digit, or a point with no digit after it: not a plain decimal (unscaledDecimal says so).
  if (digits === 0 || fractionDigits === 0) throw new DecimalOutOfRangeError(column, text);
  const high = Math.floor(value / TWO_TO_32);
  const limbs = [value - high * TWO_TO_32, high, 0, 0];
  for (let exponent = PARQUET_DECIMAL.scale - Math.max(fractionDigits, 0); exponent > 0; exponent -= 4) {
    const factor = POWERS_OF_TEN[Math.min(exponent, 4)] ?? 1;
    let carry = 0;
    for (let limb = 0; limb < 4; limb += 1) {
      // < 2^32 × 10^4 + carry < 2^46: exact in a double.
      const product = (limbs[limb] ?? 0) * factor + carry;
      carry = Math.floor(product / TWO_TO_32);
      limbs[limb] = product - carry * TWO_TO_32;
    }
  }
  let borrow = negative ? 1 : 0;
  for (let limb = 0; limb < 4; limb += 1) {
    // Two's complement of a negative value: every bit inverted, plus one.
    let word = limbs[limb] ?? 0;
    if (negative) {
      word = TWO_TO_32 - 1 - word + borrow;
      borrow = word === TWO_TO_32 ? 1 : 0;
      if (borrow === 1) word = 0;
    }
    words[4 * index + limb] = word;
  }
}

function writeWords(unscaled: bigint, words: Uint32Array, index: number): void {
  const twosComplement = BigInt.asUintN(128, unscaled);
  for (let limb = 0; limb < 4; limb += 1) {
    words[4 * index + limb] = Number(BigInt.asUintN(32, twosComplement >> BigInt(32 * limb)));
  }
}
