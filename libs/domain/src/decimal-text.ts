/**
 * Decimal text: prices travel as exact decimal strings end to end ("189.10" stays "189.10"),
 * because a JS number cannot hold most decimal fractions exactly. This is the one place
 * that says what such a text is, how providers' spellings become it, and how two of them
 * compare, without ever going through a float.
 */

/** Plain notation: optional minus, digits, optional fraction. No exponent, no `+`, no blanks. */
const PLAIN_DECIMAL = /^-?\d+(?:\.\d+)?$/;

/**
 * The digits a stored price may have: 40 integer and 20 fraction digits, plain notation
 * only, because the driver's BigDecimal.fromString silently misreads exponents ("1e3"
 * becomes 1) and a value beyond these bounds is no price to us.
 */
export const DECIMAL_TEXT_LIMITS = { integerDigits: 40, fractionDigits: 20 } as const;

const DECIMAL_TEXT = new RegExp(
  `^-?\\d{1,${DECIMAL_TEXT_LIMITS.integerDigits}}(\\.\\d{1,${DECIMAL_TEXT_LIMITS.fractionDigits}})?$`,
);

/** Anything a provider may write for a number: `1.5e-7`, `+3`, `.5`, `5.`, `243.4900`. */
const NUMERIC_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,3}))?$/;

/** Covers every finite double (5e-324 … 1.8e308); beyond it the text is not a number to us. */
const MAX_EXPONENT = 400;

/** True for a plain decimal within DECIMAL_TEXT_LIMITS: a price the store accepts. */
export function isDecimalText(text: string): boolean {
  return DECIMAL_TEXT.test(text);
}

/** True for a decimal in plain notation (`189.10`, `-3`, `0.00000015`), of any length. */
export function isPlainDecimal(text: string): boolean {
  return PLAIN_DECIMAL.test(text);
}

/**
 * The plain-notation spelling of a numeric text, digits kept as written (`243.4900` stays,
 * `1.5e-7` becomes `0.00000015`, `+.5` becomes `0.5`); null when the text is not a number.
 */
export function toPlainDecimal(text: string): string | null {
  const match = NUMERIC_TEXT.exec(text);
  if (match === null) return null;
  const [, signText = '', integerText = '', fractionText = '', exponentText] = match;
  if (integerText === '' && fractionText === '') return null;
  const exponent = exponentText === undefined ? 0 : Number(exponentText);
  if (Math.abs(exponent) > MAX_EXPONENT) return null;
  const sign = signText === '-' ? '-' : '';
  const digits = `${integerText}${fractionText}`;
  // The value is digits × 10^-scale; a scale below zero appends zeros.
  const scale = fractionText.length - exponent;
  if (scale <= 0) return `${sign}${stripLeadingZeros(digits + '0'.repeat(-scale))}`;
  const padded = digits.padStart(scale + 1, '0');
  const integerPart = stripLeadingZeros(padded.slice(0, padded.length - scale));
  return `${sign}${integerPart}.${padded.slice(padded.length - scale)}`;
}

/**
 * What an adapter passes on for a numeric cell: its plain spelling when it is a number, the
 * text unchanged when it is not, so the validator rejects (and counts) it as not_a_number
 * rather than the whole response failing for one bad cell.
 */
export function normaliseDecimalText(text: string): string {
  return toPlainDecimal(text) ?? text;
}

/**
 * The plain decimal of a JSON number as the provider wrote it, in its shortest round-trip
 * form (what `String()` prints, minus any exponent); null for NaN and infinities.
 */
export function plainDecimalFromNumber(value: number): string | null {
  if (!Number.isFinite(value)) return null;
  return toPlainDecimal(String(value));
}

/**
 * Rounds a plain decimal to `scale` fraction digits, half away from zero (HALF_UP as in
 * java.math), on the digits themselves: `189.10000610351562` → `189.10`, `1.005` → `1.01`
 * (where `(1.005).toFixed(2)` gives `1.00`). Pads with zeros to exactly `scale` digits.
 */
export function roundHalfUp(text: string, scale: number): string {
  if (!isPlainDecimal(text)) throw new RangeError(`not a plain decimal number: "${text}"`);
  if (!Number.isInteger(scale) || scale < 0) throw new RangeError(`scale must be a non-negative integer: ${scale}`);
  const negative = text.startsWith('-');
  const [integerText = '0', fractionText = ''] = (negative ? text.slice(1) : text).split('.');
  let kept = `${integerText}${fractionText.slice(0, scale).padEnd(scale, '0')}`;
  const firstDropped = fractionText.charAt(scale);
  if (firstDropped !== '' && firstDropped >= '5') kept = incrementDigits(kept);
  const integerPart = stripLeadingZeros(kept.slice(0, kept.length - scale));
  const fractionPart = kept.slice(kept.length - scale);
  const magnitude = scale === 0 ? integerPart : `${integerPart}.${fractionPart}`;
  return negative && /[1-9]/.test(magnitude) ? `-${magnitude}` : magnitude;
}

/** Compares two plain decimals exactly: -1, 0 or 1. `-0`, `0` and `0.00` are equal. */
export function compareDecimals(left: string, right: string): -1 | 0 | 1 {
  if (!isPlainDecimal(left) || !isPlainDecimal(right)) {
    throw new RangeError(`not plain decimal numbers: "${left}", "${right}"`);
  }
  return comparePlainDecimals(left, right);
}

/**
 * compareDecimals for text already known to be plain decimals (the validator's hot path):
 * no checks, no allocations.
 */
export function comparePlainDecimals(left: string, right: string): -1 | 0 | 1 {
  const leftSign = signOf(left);
  const rightSign = signOf(right);
  if (leftSign !== rightSign) return leftSign < rightSign ? -1 : 1;
  if (leftSign === 0) return 0;
  const magnitudeOrder = compareMagnitudes(left, leftSign < 0 ? 1 : 0, right, rightSign < 0 ? 1 : 0);
  return leftSign < 0 ? negate(magnitudeOrder) : magnitudeOrder;
}

/** 0 for any spelling of zero, else the sign. */
function signOf(text: string): -1 | 0 | 1 {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code >= 49 && code <= 57) return text.charCodeAt(0) === 45 ? -1 : 1; // a digit 1-9; 45 is '-'
  }
  return 0;
}

/** Orders |left| and |right|, digits starting at the given offsets (past any minus sign). */
function compareMagnitudes(left: string, leftStart: number, right: string, rightStart: number): -1 | 0 | 1 {
  const a = skipLeadingZeros(left, leftStart);
  const b = skipLeadingZeros(right, rightStart);
  const aPoint = pointIndex(left, a);
  const bPoint = pointIndex(right, b);
  if (aPoint - a !== bPoint - b) return aPoint - a < bPoint - b ? -1 : 1;
  // Integer parts of equal length, then fraction digits, a missing digit counting as 0.
  const integerLength = aPoint - a;
  const fractionLength = Math.max(left.length - aPoint, right.length - bPoint);
  for (let offset = 0; offset < integerLength + fractionLength; offset += 1) {
    const x = digitAt(left, a + offset, aPoint);
    const y = digitAt(right, b + offset, bPoint);
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

function skipLeadingZeros(text: string, start: number): number {
  let index = start;
  while (index < text.length - 1 && text.charCodeAt(index) === 48 && text.charCodeAt(index + 1) !== 46) index += 1;
  return index;
}

function pointIndex(text: string, from: number): number {
  const point = text.indexOf('.', from);
  return point < 0 ? text.length : point;
}

/** The digit at a position, skipping the decimal point; 0 past the end. */
function digitAt(text: string, position: number, point: number): number {
  const index = position < point ? position : position + 1;
  return index < text.length ? text.charCodeAt(index) - 48 : 0;
}

function negate(order: -1 | 0 | 1): -1 | 0 | 1 {
  if (order === 0) return 0;
  return order === 1 ? -1 : 1;
}

function stripLeadingZeros(digits: string): string {
  const stripped = digits.replace(/^0+/, '');
  return stripped === '' ? '0' : stripped;
}

/** Adds one to a string of decimal digits, growing it on a final carry ("999" → "1000"). */
function incrementDigits(digits: string): string {
  const result = digits.split('');
  for (let index = result.length - 1; index >= 0; index -= 1) {
    if (result[index] !== '9') {
      result[index] = String(Number(result[index]) + 1);
      return result.join('');
    }
    result[index] = '0';
  }
  return `1${result.join('')}`;
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
