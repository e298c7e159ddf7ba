import fc from 'fast-check';
import { isoInstant } from './iso-instant';

/** Every millisecond a Date can hold: ±8.64e15 ms around the epoch. */
const anyInstant = fc.integer({ min: -8.64e15, max: 8.64e15 }).map((ms) => new Date(ms));

describe('isoInstant', () => {
  it('writes exactly what toISOString writes, over the whole Date range', () => {
    fc.assert(
      fc.property(anyInstant, (date) => {
        expect(isoInstant(date)).toBe(date.toISOString());
      }),
      { numRuns: 20_000 },
    );
  });

  it('stays right along runs of nearby instants, whose date part it reuses', () => {
    fc.assert(
      fc.property(
        anyInstant,
        fc.array(fc.integer({ min: -90_000_000, max: 90_000_000 }), { maxLength: 50 }),
        (start, steps) => {
          let ms = start.getTime();
          for (const step of steps) {
            ms = Math.min(8.64e15, Math.max(-8.64e15, ms + step));
            const date = new Date(ms);
            expect(isoInstant(date)).toBe(date.toISOString());
          }
        },
      ),
    );
  });

  it('keeps day edges, leap days and years before 1970 and after 9999 right', () => {
    for (const text of [
      '1969-12-31T23:59:59.999Z',
      '1970-01-01T00:00:00.000Z',
      '2024-02-29T23:59:59.999Z',
      '2024-03-01T00:00:00.000Z',
      '0000-01-01T00:00:00.000Z',
      '-000001-12-31T23:59:59.999Z',
      '+010000-01-01T00:00:00.000Z',
      '+275760-09-13T00:00:00.000Z',
    ]) {
      expect(isoInstant(new Date(text))).toBe(text);
    }
  });

  it('refuses an invalid Date as toISOString does', () => {
    expect(() => isoInstant(new Date(Number.NaN))).toThrow(RangeError);
  });
});
