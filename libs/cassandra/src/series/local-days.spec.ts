import fc from 'fast-check';
import { DateTime } from 'luxon';
import { parseTimeZone } from '@market/domain';
import { localDayAt, localDayNameAt, localDayNamed, localDaysBetween, localDaysOf } from './local-days';

const NEW_YORK = parseTimeZone('America/New_York');
const UTC = parseTimeZone('UTC');
const HOUR = 3_600_000;

describe('local days', () => {
  it('cuts New York days at local midnight: 23 hours on 2025-03-09, 25 hours on 2025-11-02', () => {
    expect(localDayNamed('2025-03-09', NEW_YORK)).toEqual({
      day: '2025-03-09',
      startMs: Date.parse('2025-03-09T05:00:00Z'),
      endMs: Date.parse('2025-03-10T04:00:00Z'),
    });
    const november = localDayNamed('2025-11-02', NEW_YORK);
    expect(november.endMs - november.startMs).toBe(25 * HOUR);
    expect(localDayAt(Date.parse('2025-11-03T04:59:59.999Z'), NEW_YORK).day).toBe('2025-11-02');
    expect(localDayAt(Date.parse('2025-11-03T05:00:00Z'), NEW_YORK).day).toBe('2025-11-03');
  });

  it('lists the distinct days of instants in any order, oldest first', () => {
    const instants = ['2025-08-02T03:00:00Z', '2025-08-01T12:00:00Z', '2025-08-01T13:00:00Z', '2025-08-02T05:00:00Z'];
    expect(
      localDaysOf(
        instants.map((iso) => new Date(iso)),
        NEW_YORK,
      ).map((window) => window.day),
    ).toEqual(['2025-08-01', '2025-08-02']);
    expect(localDaysOf([], UTC)).toEqual([]);
  });

  it('lists every day overlapping a half-open range', () => {
    const days = localDaysBetween(Date.parse('2025-12-30T12:00:00Z'), Date.parse('2026-01-02T00:00:00Z'), UTC);
    expect(days.map((window) => window.day)).toEqual(['2025-12-30', '2025-12-31', '2026-01-01']);
  });

  it('puts every instant in the day Luxon names for it, and the days tile time without gap or overlap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('1990-01-01T00:00:00Z'), max: Date.parse('2040-01-01T00:00:00Z') }),
        fc.constantFrom('America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'UTC'),
        (ms, zoneName) => {
          const zone = parseTimeZone(zoneName);
          const window = localDayAt(ms, zone);
          expect(window.day).toBe(DateTime.fromMillis(ms, { zone: zoneName }).toISODate());
          expect(localDayNameAt(ms, zone)).toBe(window.day);
          expect(window.startMs).toBeLessThanOrEqual(ms);
          expect(ms).toBeLessThan(window.endMs);
          expect(localDayAt(window.endMs, zone).startMs).toBe(window.endMs);
          expect(localDayNamed(window.day, zone)).toEqual(window);
        },
      ),
      { numRuns: 500 },
    );
  });
});
