import { isDecimalText, scanShortDecimal } from '@market/domain';
import { plainDecimalText } from './decimal';

/**
 * CQL decimals encoded straight to their protocol bytes. The driver sends a Buffer bind
 * value as it is, so the write path hands it these instead of decimal text, from which
 * the driver would build a BigDecimal with an arbitrary-precision Integer inside and a few
 * intermediate buffers: four per bar, a quarter of the ingestor's CPU in garbage
 * collection (bench:ingest profile). No library encodes CQL values without the driver's
 * object model. Byte-for-byte equality with the driver's own encoder is property-tested
 * (wire-values.spec.ts).
 */

const TWO_TO_32 = 4_294_967_296;

/** VARINT_LIMITS[n]: 2^(8n-1), the first value that no longer fits n bytes of two's complement. */
const VARINT_LIMITS = [0, 2 ** 7, 2 ** 15, 2 ** 23, 2 ** 31, 2 ** 39, 2 ** 47];

/** Bytes of the shortest two's-complement big-endian form of `value` (CQL varint), up to 7 (= "more than 6"). */
function varintLength(value: number): number {
  let length = 1;
  while (length < 7 && (value >= (VARINT_LIMITS[length] ?? 0) || value < -(VARINT_LIMITS[length] ?? 0))) length += 1;
  return length;
}

function bigVarintBytes(value: bigint): Buffer {
  let hex = (value < 0n ? -value : value).toString(16);
  // Room for the sign bit: a magnitude whose top bit is set needs one more byte.
  if (hex.length % 2 === 1) hex = `0${hex}`;
  let length = hex.length / 2;
  const limit = 1n << BigInt(8 * length - 1);
  if (value >= limit || value < -limit) length += 1;
  const bytes = Buffer.alloc(length);
  let rest = BigInt.asUintN(8 * length, value);
  for (let index = length - 1; index >= 0; index -= 1) {
    bytes[index] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return bytes;
}

/**
 * CQL `decimal` from plain decimal text ("189.10", "-0.5"): a 32-bit scale (digits after
 * the point, so "189.10" keeps its trailing zero) followed by the unscaled value as a varint.
 */
export function decimalBytes(text: string): Buffer {
  return shortDecimalBytes(text) ?? longDecimalBytes(text);
}

/** Short text (scanShortDecimal) in one pass; null for anything else. */
function shortDecimalBytes(text: string): Buffer | null {
  const decimal = scanShortDecimal(text);
  if (decimal === null) return null;
  const { unscaled, scale } = decimal;
  const length = varintLength(unscaled);
  if (length > 6) return null; // beyond what writeIntBE writes
  const bytes = Buffer.allocUnsafe(4 + length);
  bytes.writeInt32BE(scale, 0);
  bytes.writeIntBE(unscaled, 4, length);
  return bytes;
}

function longDecimalBytes(text: string): Buffer {
  if (!isDecimalText(text)) throw new RangeError(`not a plain decimal number: "${text}"`);
  const dot = text.indexOf('.');
  const scale = dot === -1 ? 0 : text.length - dot - 1;
  const varint = bigVarintBytes(BigInt(dot === -1 ? text : text.slice(0, dot) + text.slice(dot + 1)));
  const bytes = Buffer.allocUnsafe(4 + varint.length);
  bytes.writeInt32BE(scale, 0);
  varint.copy(bytes, 4);
  return bytes;
}

/*
 * The read direction: range pages select decimals and bigints as blobs (`decimalAsBlob`,
 * `bigintAsBlob`), so the driver hands over their protocol bytes instead of building a
 * BigDecimal (with an arbitrary-precision Integer inside) or a Long per value, which the
 * API then only turned into text and numbers again: four decimals and a bigint per row,
 * thousands of rows per page.
 */

/** Plain decimal text of CQL `decimal` bytes, digit for digit as stored ("189.10" keeps its zero). */
export function decimalTextOf(bytes: Buffer): string {
  if (bytes.length < 4) throw new RangeError(`a decimal needs at least 4 bytes, got ${bytes.length}`);
  const scale = bytes.readInt32BE(0);
  const varintBytes = bytes.length - 4;
  const unscaled =
    varintBytes === 0 ? 0 : varintBytes <= 6 ? bytes.readIntBE(4, varintBytes) : bigVarintOf(bytes.subarray(4));
  return plainDecimalText(unscaled, scale);
}

/** A CQL `bigint` from its bytes, as a number; beyond 2^53 a number would be inexact, so that throws. */
export function safeIntegerOf(bytes: Buffer): number {
  if (bytes.length !== 8) throw new RangeError(`a bigint has 8 bytes, got ${bytes.length}`);
  const value = bytes.readInt32BE(0) * TWO_TO_32 + bytes.readUInt32BE(4);
  if (!Number.isSafeInteger(value)) throw new RangeError(`${bytes.readBigInt64BE(0)} exceeds 2^53`);
  return value;
}

function bigVarintOf(bytes: Buffer): bigint {
  return BigInt.asIntN(8 * bytes.length, BigInt(`0x${bytes.toString('hex')}`));
}
