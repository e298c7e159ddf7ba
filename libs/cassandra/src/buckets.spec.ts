import fc from 'fast-check';
import {
  MAX_BUCKET_INSTANT,
  MIN_BUCKET_INSTANT,
  adjacentBucket,
  bucketCount,
  bucketEnd,
  bucketIndexOf,
  bucketMillis,
  bucketOf,
  bucketSliceAt,
  bucketSlices,
  bucketStart,
} from './buckets';

const MS = 1;
// Mostly realistic instants, with every year end and leap day in the range reachable.
const instant = fc.date({
  min: new Date('1999-12-01T00:00:00Z'),
  max: new Date('2101-02-01T00:00:00Z'),
  noInvalidDate: true,
});
const range = fc.tuple(instant, fc.integer({ min: 0, max: 3 * 366 * 24 * 3600 * 1000 })).map(([from, span]) => ({
  from,
  to: new Date(Math.min(from.getTime() + span, new Date('2101-02-01T00:00:00Z').getTime())),
}));

function bucketProperties(): void {
  it('names the UTC month of an instant', () => {
    expect(bucketOf(new Date('2025-09-30T23:59:59.999Z'))).toBe('2025-09');
    expect(bucketOf(new Date('2025-10-01T00:00:00.000Z'))).toBe('2025-10');
    expect(bucketOf(new Date('2024-12-31T23:59:59.999Z'))).toBe('2024-12');
    expect(bucketOf(new Date('2025-01-01T00:00:00.000Z'))).toBe('2025-01');
    // An offset is an instant: 00:30 in Berlin on 1 Sep is still August in UTC.
    expect(bucketOf(new Date('2025-09-01T00:30:00+02:00'))).toBe('2025-08');
  });

  it('knows leap years: February ends on the 29th in 2024 and 2000, the 28th in 2100', () => {
    expect(bucketEnd('2024-02').toISOString()).toBe('2024-02-29T23:59:59.999Z');
    expect(bucketEnd('2000-02').toISOString()).toBe('2000-02-29T23:59:59.999Z');
    expect(bucketEnd('2100-02').toISOString()).toBe('2100-02-28T23:59:59.999Z');
    expect(bucketEnd('2023-02').toISOString()).toBe('2023-02-28T23:59:59.999Z');
  });

  it('gives a bucket its first and last millisecond, which bucketOf maps back to it', () => {
    fc.assert(
      fc.property(instant, (ts) => {
        const bucket = bucketOf(ts);
        const { first, last } = bucketMillis(bucket);
        expect(first <= ts.getTime() && ts.getTime() <= last).toBe(true);
        expect(bucketOf(new Date(first))).toBe(bucket);
        expect(bucketOf(new Date(last))).toBe(bucket);
        expect(bucketOf(new Date(first - 1))).not.toBe(bucket);
        expect(bucketOf(new Date(last + 1))).not.toBe(bucket);
      }),
    );
  });

  it('handles the first and last years a bucket can name', () => {
    expect(bucketOf(MIN_BUCKET_INSTANT)).toBe('0000-01');
    expect(bucketOf(MAX_BUCKET_INSTANT)).toBe('9999-12');
    expect(bucketStart('0050-03').toISOString()).toBe('0050-03-01T00:00:00.000Z');
    expect(() => bucketOf(new Date(MAX_BUCKET_INSTANT.getTime() + 1))).toThrow(RangeError);
    expect(() => bucketOf(new Date(Number.NaN))).toThrow(RangeError);
    expect(() => bucketStart('2025-13')).toThrow(RangeError);
  });

  it('puts every instant inside its bucket, the millisecond after the end in the next one', () => {
    fc.assert(
      fc.property(instant, (ts) => {
        const bucket = bucketOf(ts);
        expect(bucketStart(bucket).getTime()).toBeLessThanOrEqual(ts.getTime());
        expect(bucketEnd(bucket).getTime()).toBeGreaterThanOrEqual(ts.getTime());
        expect(bucketOf(new Date(bucketEnd(bucket).getTime() + MS))).toBe(adjacentBucket(bucket, 1));
        expect(bucketOf(new Date(bucketStart(bucket).getTime() - MS))).toBe(adjacentBucket(bucket, -1));
        expect(adjacentBucket(adjacentBucket(bucket, 1), -1)).toBe(bucket);
      }),
      { numRuns: 2000 },
    );
  });

  it('splits a range into contiguous, ascending bucket slices that cover it exactly', () => {
    fc.assert(
      fc.property(range, ({ from, to }) => {
        const slices = bucketSlices(from, to);
        expect(slices).toHaveLength(bucketCount(from, to));
        expect(slices[0]?.from).toEqual(from);
        expect(slices.at(-1)?.to).toEqual(to);
        slices.forEach((slice, index) => {
          expect(bucketOf(slice.from)).toBe(slice.bucket);
          expect(bucketOf(slice.to)).toBe(slice.bucket);
          expect(slice.from.getTime()).toBeLessThanOrEqual(slice.to.getTime());
          const next = slices[index + 1];
          if (next !== undefined) {
            expect(next.from.getTime()).toBe(slice.to.getTime() + MS);
            expect(next.bucket).toBe(adjacentBucket(slice.bucket, 1));
          }
        });
      }),
      { numRuns: 1000 },
    );
  });

  it('finds the one slice for any instant of the range', () => {
    fc.assert(
      fc.property(range, fc.double({ min: 0, max: 1, noNaN: true }), ({ from, to }, fraction) => {
        const ts = new Date(from.getTime() + Math.floor((to.getTime() - from.getTime()) * fraction));
        const holding = bucketSlices(from, to).filter((slice) => slice.from <= ts && ts <= slice.to);
        expect(holding).toHaveLength(1);
        expect(holding[0]?.bucket).toBe(bucketOf(ts));
      }),
    );
  });

  it('returns one slice for a one-millisecond range and rejects a reversed one', () => {
    const ts = new Date('2025-08-31T23:59:59.999Z');
    expect(bucketSlices(ts, ts)).toEqual([{ bucket: '2025-08', from: ts, to: ts }]);
    expect(() => bucketSlices(new Date(ts.getTime() + 1), ts)).toThrow(RangeError);
    expect(bucketCount(new Date(ts.getTime() + 1), ts)).toBe(0);
  });

  it('computes the i-th slice in either walking order without listing the slices before it', () => {
    fc.assert(
      fc.property(range, ({ from, to }) => {
        const slices = bucketSlices(from, to);
        const descending = [...slices].reverse();
        slices.forEach((slice, index) => {
          expect(bucketSliceAt(from, to, index, 'asc')).toEqual(slice);
          expect(bucketIndexOf(from, to, slice.from, 'asc')).toBe(index);
          expect(bucketIndexOf(from, to, slice.to, 'asc')).toBe(index);
        });
        descending.forEach((slice, index) => {
          expect(bucketSliceAt(from, to, index, 'desc')).toEqual(slice);
          expect(bucketIndexOf(from, to, slice.from, 'desc')).toBe(index);
        });
        expect(() => bucketSliceAt(from, to, slices.length, 'asc')).toThrow(RangeError);
        expect(() => bucketSliceAt(from, to, -1, 'desc')).toThrow(RangeError);
      }),
    );
  });

  it('finds the 24,000th bucket of a range from year 1 without building the ones before it', () => {
    const from = new Date('0001-01-01T00:00:00.000Z');
    const to = new Date('2025-08-15T12:00:00.000Z');
    expect(bucketIndexOf(from, to, new Date('2025-08-01T00:00:00Z'), 'desc')).toBe(0);
    expect(bucketSliceAt(from, to, 0, 'desc')).toEqual({
      bucket: '2025-08',
      from: new Date('2025-08-01T00:00:00Z'),
      to,
    });
    const index = bucketIndexOf(from, to, new Date('2000-02-10T00:00:00Z'), 'asc');
    expect(index).toBe(1999 * 12 + 1);
    expect(bucketSliceAt(from, to, index, 'asc').bucket).toBe('2000-02');
  });

  it('walks year ends: December 2024 to February 2025 is three buckets', () => {
    const slices = bucketSlices(new Date('2024-12-15T10:00:00Z'), new Date('2025-02-03T00:00:00Z'));
    expect(slices.map((slice) => [slice.bucket, slice.from.toISOString(), slice.to.toISOString()])).toEqual([
      ['2024-12', '2024-12-15T10:00:00.000Z', '2024-12-31T23:59:59.999Z'],
      ['2025-01', '2025-01-01T00:00:00.000Z', '2025-01-31T23:59:59.999Z'],
      ['2025-02', '2025-02-01T00:00:00.000Z', '2025-02-03T00:00:00.000Z'],
    ]);
  });
}

const zone = process.env.TZ ?? 'UTC';
const OFFSET_MINUTES: Record<string, number> = { UTC: 0, 'Pacific/Chatham': -825 };

describe(`month buckets (TZ=${zone})`, () => {
  it('runs in the zone its Jest project sets', () => {
    expect(new Date(2025, 0, 1).getTimezoneOffset()).toBe(OFFSET_MINUTES[zone]);
  });
  bucketProperties();
});
