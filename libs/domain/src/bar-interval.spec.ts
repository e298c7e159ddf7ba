import fc from 'fast-check';
import {
  BAR_INTERVALS,
  barIntervalMs,
  barIntervalWidth,
  barStartMs,
  describeBarInterval,
  isBarInterval,
  parseBarInterval,
} from './bar-interval';

describe('bar interval', () => {
  it('lists every interval shortest first, each with its length in milliseconds', () => {
    expect(BAR_INTERVALS).toEqual(['1m', '5m', '15m', '1h', '1d']);
    expect(BAR_INTERVALS.map(barIntervalMs)).toEqual([60_000, 300_000, 900_000, 3_600_000, 86_400_000]);
    expect(barIntervalWidth('15m')).toEqual({ count: 15, unit: 'minute' });
  });

  it('parses exactly the listed labels, and nothing else', () => {
    for (const interval of BAR_INTERVALS) expect(parseBarInterval(interval)).toBe(interval);
    for (const text of ['', '1M', '60m', '0m', '1 m', 'daily', '1d ', 'toString', '__proto__']) {
      expect(parseBarInterval(text)).toBeNull();
      expect(isBarInterval(text)).toBe(false);
    }
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.constantFrom(...BAR_INTERVALS)), (text) => {
        expect(parseBarInterval(text)).toBe((BAR_INTERVALS as readonly string[]).includes(text) ? text : null);
      }),
    );
  });

  it('describes an interval in words for messages', () => {
    expect(BAR_INTERVALS.map(describeBarInterval)).toEqual(['minute', '5 minutes', '15 minutes', 'hour', 'day']);
  });

  it('puts every instant in the one bar that starts at or before it and ends after it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -62_135_596_800_000, max: 253_402_300_799_999 }),
        fc.constantFrom(...BAR_INTERVALS),
        (instant, interval) => {
          const start = barStartMs(instant, interval);
          const width = barIntervalMs(interval);
          expect(start).toBeLessThanOrEqual(instant);
          expect(instant).toBeLessThan(start + width);
          expect(start % width === 0).toBe(true);
          expect(barStartMs(start, interval)).toBe(start);
        },
      ),
    );
    expect(new Date(barStartMs(Date.parse('2025-08-01T13:47:59.999Z'), '15m')).toISOString()).toBe(
      '2025-08-01T13:45:00.000Z',
    );
    expect(new Date(barStartMs(Date.parse('2025-08-01T23:59:59Z'), '1d')).toISOString()).toBe(
      '2025-08-01T00:00:00.000Z',
    );
  });
});
