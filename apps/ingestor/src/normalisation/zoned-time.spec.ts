import fc from 'fast-check';
import { isKnownTimeZone, toLocalDateTime, zoneOffsetMs, zonedToUtc } from './zoned-time';

const local = (year: number, month: number, day: number, hour: number, minute = 0, second = 0) => ({
  year,
  month,
  day,
  hour,
  minute,
  second,
});

describe('zoned time', () => {
  it('converts New York wall-clock time to UTC on both sides of the 2025 DST changes', () => {
    expect(zonedToUtc(local(2025, 3, 7, 9, 30), 'America/New_York').toISOString()).toBe('2025-03-07T14:30:00.000Z');
    expect(zonedToUtc(local(2025, 3, 10, 9, 30), 'America/New_York').toISOString()).toBe('2025-03-10T13:30:00.000Z');
    expect(zonedToUtc(local(2025, 10, 31, 16, 0), 'America/New_York').toISOString()).toBe('2025-10-31T20:00:00.000Z');
    expect(zonedToUtc(local(2025, 11, 3, 16, 0), 'America/New_York').toISOString()).toBe('2025-11-03T21:00:00.000Z');
  });

  it("reads Alpha Vantage's US/Eastern like America/New_York", () => {
    expect(isKnownTimeZone('US/Eastern')).toBe(true);
    expect(zonedToUtc(local(2025, 8, 29, 19, 55), 'US/Eastern').toISOString()).toBe('2025-08-29T23:55:00.000Z');
  });

  it('takes the first occurrence of a repeated hour and moves a skipped hour forward', () => {
    expect(zonedToUtc(local(2025, 11, 2, 1, 30), 'America/New_York').toISOString()).toBe('2025-11-02T05:30:00.000Z');
    expect(zonedToUtc(local(2025, 3, 9, 2, 30), 'America/New_York').toISOString()).toBe('2025-03-09T07:30:00.000Z');
  });

  it('reports offsets and local times of instants', () => {
    expect(zoneOffsetMs(Date.parse('2025-07-01T12:00:00Z'), 'America/New_York')).toBe(-4 * 3_600_000);
    expect(zoneOffsetMs(Date.parse('2025-01-01T12:00:00Z'), 'America/New_York')).toBe(-5 * 3_600_000);
    expect(toLocalDateTime(new Date('2025-01-01T03:00:00Z'), 'America/New_York')).toEqual(local(2024, 12, 31, 22));
  });

  it('knows unknown zones are unknown', () => {
    expect(isKnownTimeZone('Mars/Olympus_Mons')).toBe(false);
  });

  it('round-trips every instant through wall-clock time, in zones with odd offsets and DST', () => {
    const zones = ['America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Pacific/Chatham', 'Asia/Kolkata'];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('2000-01-01T00:00:00Z') / 1000, max: Date.parse('2040-01-01T00:00:00Z') / 1000 }),
        fc.constantFrom(...zones),
        (seconds, zone) => {
          const instant = seconds * 1000;
          const wallClock = toLocalDateTime(new Date(instant), zone);
          const back = zonedToUtc(wallClock, zone).getTime();
          // A repeated wall-clock time resolves to its first occurrence, never a later one.
          expect(toLocalDateTime(new Date(back), zone)).toEqual(wallClock);
          expect(back).toBeLessThanOrEqual(instant);
          if (back !== instant) expect(instant - back).toBeLessThanOrEqual(3_600_000);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
