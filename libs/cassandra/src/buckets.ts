/**
 * Month buckets of the time-series tables: the partition key holds `YYYY-MM` of the
 * point's instant in UTC. Pure arithmetic on epoch milliseconds, never on local time,
 * so results do not depend on the process's TZ.
 */

/** `YYYY-MM` of a UTC month. */
export type Bucket = string;

/** The part of a queried range that lies in one bucket; both bounds inclusive. */
export interface BucketSlice {
  readonly bucket: Bucket;
  readonly from: Date;
  readonly to: Date;
}

const BUCKET_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The earliest and latest instants a bucket can name (years 0000–9999). */
export const MIN_BUCKET_INSTANT = new Date('0000-01-01T00:00:00.000Z');
export const MAX_BUCKET_INSTANT = new Date('9999-12-31T23:59:59.999Z');

function assertInDomain(ts: Date): void {
  const ms = ts.getTime();
  if (Number.isNaN(ms) || ms < MIN_BUCKET_INSTANT.getTime() || ms > MAX_BUCKET_INSTANT.getTime()) {
    throw new RangeError(`timestamp outside the years 0000-9999: ${String(ts)}`);
  }
}

function monthIndex(ts: Date): number {
  return ts.getUTCFullYear() * 12 + ts.getUTCMonth();
}

function bucketOfMonthIndex(index: number): Bucket {
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

function monthIndexOf(bucket: Bucket): number {
  const match = BUCKET_PATTERN.exec(bucket);
  if (match === null) throw new RangeError(`not a bucket (YYYY-MM): "${bucket}"`);
  return Number(match[1]) * 12 + Number(match[2]) - 1;
}

/** Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear does not. */
function startOfMonthIndex(index: number): Date {
  const start = new Date(0);
  start.setUTCFullYear(Math.floor(index / 12), index % 12, 1);
  start.setUTCHours(0, 0, 0, 0);
  return start;
}

/** The bucket a point at `ts` is stored in. */
export function bucketOf(ts: Date): Bucket {
  assertInDomain(ts);
  return bucketOfMonthIndex(monthIndex(ts));
}

/** The first instant of a bucket. */
export function bucketStart(bucket: Bucket): Date {
  return startOfMonthIndex(monthIndexOf(bucket));
}

/** The last millisecond of a bucket (CQL timestamps have millisecond precision). */
export function bucketEnd(bucket: Bucket): Date {
  return new Date(startOfMonthIndex(monthIndexOf(bucket) + 1).getTime() - 1);
}

/** A bucket's first and last millisecond since the epoch, to test many instants against it cheaply. */
export function bucketMillis(bucket: Bucket): { readonly first: number; readonly last: number } {
  return { first: bucketStart(bucket).getTime(), last: bucketEnd(bucket).getTime() };
}

/** The bucket after (`step` 1) or before (`step` -1) the given one. */
export function adjacentBucket(bucket: Bucket, step: 1 | -1): Bucket {
  return bucketOfMonthIndex(monthIndexOf(bucket) + step);
}

/** How many buckets the inclusive range [from, to] touches. */
export function bucketCount(from: Date, to: Date): number {
  assertInDomain(from);
  assertInDomain(to);
  return to < from ? 0 : monthIndex(to) - monthIndex(from) + 1;
}

/**
 * The buckets of the inclusive range [from, to] in ascending order, each with its
 * bucket-local bounds, so every bucket is read with one single-partition query.
 */
export function bucketSlices(from: Date, to: Date): BucketSlice[] {
  if (to < from) throw new RangeError(`range ends before it starts: ${to.toISOString()} < ${from.toISOString()}`);
  const first = monthIndex(from);
  const count = bucketCount(from, to);
  return Array.from({ length: count }, (_, offset) => {
    const index = first + offset;
    const start = startOfMonthIndex(index);
    const end = new Date(startOfMonthIndex(index + 1).getTime() - 1);
    return {
      bucket: bucketOfMonthIndex(index),
      from: offset === 0 ? from : start,
      to: offset === count - 1 ? to : end,
    };
  });
}

/** The direction a range is walked in: oldest bucket first, or newest first. */
export type WalkOrder = 'asc' | 'desc';

/**
 * The `index`-th bucket slice of [from, to] in walking order, computed without listing
 * the buckets before it: a range may span thousands of months, a page reads a few.
 */
export function bucketSliceAt(from: Date, to: Date, index: number, order: WalkOrder): BucketSlice {
  const count = bucketCount(from, to);
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    throw new RangeError(`bucket index ${index} outside the ${count} buckets of the range`);
  }
  const month = order === 'asc' ? monthIndex(from) + index : monthIndex(to) - index;
  const start = startOfMonthIndex(month);
  const end = new Date(startOfMonthIndex(month + 1).getTime() - 1);
  return {
    bucket: bucketOfMonthIndex(month),
    from: month === monthIndex(from) ? from : start,
    to: month === monthIndex(to) ? to : end,
  };
}

/** The walking-order index, within the buckets of [from, to], of the bucket holding `ts`. */
export function bucketIndexOf(from: Date, to: Date, ts: Date, order: WalkOrder): number {
  assertInDomain(ts);
  return order === 'asc' ? monthIndex(ts) - monthIndex(from) : monthIndex(to) - monthIndex(ts);
}
