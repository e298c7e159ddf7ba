import fc from 'fast-check';
import { parseIsoInstant } from './iso-instant';

const parsed = (text: string, end = false) => {
  const result = parseIsoInstant(text, end ? 'end-of-day' : 'start-of-day');
  return result.ok ? result.instant.toISOString() : result.why;
};

// The oracle: calendar arithmetic written out (Hinnant's days_from_civil), no Date at all.
const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
const daysInMonth = (year: number, month: number) =>
  [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}
const MIN_MS = daysFromCivil(1, 1, 1) * 86_400_000;
const MAX_MS = daysFromCivil(10_000, 1, 1) * 86_400_000 - 1;

const pad = (value: number, width: number) => String(value).padStart(width, '0');

const fields = fc.record({
  year: fc.integer({ min: 1, max: 9999 }),
  month: fc.integer({ min: 1, max: 12 }),
  day: fc.integer({ min: 1, max: 31 }),
  hour: fc.integer({ min: 0, max: 24 }),
  minute: fc.integer({ min: 0, max: 59 }),
  second: fc.integer({ min: 0, max: 60 }),
  millisecond: fc.integer({ min: 0, max: 999 }),
  fractionDigits: fc.integer({ min: 0, max: 9 }),
  withSeconds: fc.boolean(),
  dateOnly: fc.boolean(),
  end: fc.boolean(),
  separator: fc.constantFrom('T', ' '),
  offset: fc.oneof(
    fc.constant(null),
    fc.constant('Z'),
    fc.record({
      sign: fc.constantFrom(1, -1),
      hours: fc.integer({ min: 0, max: 19 }),
      minutes: fc.integer({ min: 0, max: 59 }),
      colon: fc.boolean(),
    }),
  ),
});

describe('parseIsoInstant', () => {
  it('agrees with calendar arithmetic on every date, time, fraction and offset, valid or not', () => {
    fc.assert(
      fc.property(fields, (f) => {
        const fractionDigits = f.withSeconds && !f.dateOnly ? f.fractionDigits : 0;
        // The fraction text: the milliseconds, then zeros (finer non-zero digits are a separate case).
        const fraction = pad(f.millisecond, 3).padEnd(9, '0').slice(0, fractionDigits);
        const offsetText =
          f.offset === null
            ? ''
            : f.offset === 'Z'
              ? 'Z'
              : `${f.offset.sign < 0 ? '-' : '+'}${pad(f.offset.hours, 2)}${f.offset.colon ? ':' : ''}${pad(f.offset.minutes, 2)}`;
        const text = f.dateOnly
          ? `${pad(f.year, 4)}-${pad(f.month, 2)}-${pad(f.day, 2)}`
          : `${pad(f.year, 4)}-${pad(f.month, 2)}-${pad(f.day, 2)}${f.separator}${pad(f.hour, 2)}:${pad(f.minute, 2)}` +
            `${f.withSeconds ? `:${pad(f.second, 2)}${fraction === '' ? '' : `.${fraction}`}` : ''}${offsetText}`;
        const hour = f.dateOnly ? 0 : f.hour;
        const second = f.dateOnly || !f.withSeconds ? 0 : f.second;
        const millisecond = fraction === '' ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'));
        const offsetMinutes =
          f.dateOnly || f.offset === null || f.offset === 'Z'
            ? 0
            : f.offset.sign * (f.offset.hours * 60 + f.offset.minutes);

        const result = parseIsoInstant(text, f.end ? 'end-of-day' : 'start-of-day');
        const real = f.day <= daysInMonth(f.year, f.month) && hour < 24 && second < 60;
        if (!real) {
          expect(result).toEqual({ ok: false, why: 'is not a real calendar date and time' });
          return;
        }
        if (!f.dateOnly && f.offset !== null && f.offset !== 'Z' && f.offset.hours > 18) {
          expect(result).toEqual({ ok: false, why: 'has an offset outside ±18:00' });
          return;
        }
        const expected =
          daysFromCivil(f.year, f.month, f.day) * 86_400_000 +
          ((hour * 60 + (f.dateOnly ? 0 : f.minute)) * 60 + second) * 1000 +
          millisecond +
          (f.dateOnly && f.end ? 86_399_999 : 0) -
          offsetMinutes * 60_000;
        if (expected < MIN_MS || expected > MAX_MS) {
          expect(result).toEqual({ ok: false, why: 'must lie in the years 1-9999' });
          return;
        }
        expect(result).toEqual({ ok: true, instant: new Date(expected), dateOnly: f.dateOnly });
      }),
      { numRuns: 5_000 },
    );
  });

  it('accepts no text but the ISO-8601 shapes: anything else is refused, never guessed', () => {
    const shape = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789-:T .Z+/x'.split('')), maxLength: 30 }), (text) => {
        const result = parseIsoInstant(text);
        if (!shape.test(text)) expect(result.ok).toBe(false);
      }),
      { numRuns: 5_000 },
    );
  });

  it('reads a date as its first millisecond, or its last for an inclusive end', () => {
    expect(parsed('2025-09-30')).toBe('2025-09-30T00:00:00.000Z');
    expect(parsed('2025-09-30', true)).toBe('2025-09-30T23:59:59.999Z');
    expect(parsed('2025-09-30T10:00', true)).toBe('2025-09-30T10:00:00.000Z');
  });

  it('takes an offset-less date-time as UTC and honours offsets', () => {
    expect(parsed('2025-08-01T10:00')).toBe('2025-08-01T10:00:00.000Z');
    expect(parsed('2025-08-01 13:30:15')).toBe('2025-08-01T13:30:15.000Z');
    expect(parsed('2025-09-01T00:30:00+02:00')).toBe('2025-08-31T22:30:00.000Z');
    expect(parsed('2025-08-01T19:15:00+0545')).toBe('2025-08-01T13:30:00.000Z');
    expect(parsed('2025-08-01T13:30:00.123000000Z')).toBe('2025-08-01T13:30:00.123Z');
  });

  it('says why a text names no instant', () => {
    expect(parsed('2025-02-30T00:00:00Z')).toBe('is not a real calendar date and time');
    expect(parsed('2025-08-01T24:00')).toBe('is not a real calendar date and time');
    expect(parsed('2025-06-30T23:59:60Z')).toBe('is not a real calendar date and time');
    expect(parsed('2025-08-01T13:30:00.1234Z')).toMatch(/finer than milliseconds/);
    expect(parsed('0000-01-01')).toBe('must lie in the years 1-9999');
    expect(parsed('9999-12-31T23:00-02:00')).toBe('must lie in the years 1-9999');
    expect(parsed('2025-09-30T10:00+19:00')).toBe('has an offset outside ±18:00');
    for (const bad of ['', 'yesterday', '2025-9-1', '08/01/2025', '1727700000', '2025-09-30T10:00:00 +02:00']) {
      expect(parsed(bad)).toMatch(/^must be an ISO-8601 date/);
    }
  });
});
