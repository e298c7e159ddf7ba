import { InvalidQueryError } from '../errors/api-errors';
import { barInterval, parseInstant, parseRangeBounds } from './range-bounds';

const iso = (text: string, parameter: 'from' | 'to' = 'from') => parseInstant(text, parameter).toISOString();

describe('range bounds', () => {
  it('reads a date-only `from` as the start of that UTC day and `to` as its last millisecond', () => {
    expect(iso('2025-09-30')).toBe('2025-09-30T00:00:00.000Z');
    expect(iso('2025-09-30', 'to')).toBe('2025-09-30T23:59:59.999Z');
  });

  it('takes a date-time exactly, as UTC when it has no offset', () => {
    expect(iso('2025-09-30T14:30')).toBe('2025-09-30T14:30:00.000Z');
    expect(iso('2025-09-30T14:30:05.123Z', 'to')).toBe('2025-09-30T14:30:05.123Z');
    expect(iso('2025-09-30T14:30:05.1')).toBe('2025-09-30T14:30:05.100Z');
  });

  it('honours offsets, including across a day and a month boundary', () => {
    expect(iso('2025-09-01T00:30:00+02:00')).toBe('2025-08-31T22:30:00.000Z');
    expect(iso('2025-03-09T01:59:59-05:00')).toBe('2025-03-09T06:59:59.000Z');
    expect(iso('2025-12-31T23:00:00-0130')).toBe('2026-01-01T00:30:00.000Z');
  });

  it('rejects what is not ISO-8601 or not a real date, naming the parameter', () => {
    for (const bad of [
      '',
      'yesterday',
      '2025-9-1',
      '2025-02-30',
      '2025-13-01',
      '2025-09-30T24:00',
      '2025-06-30T23:59:60Z',
      '2025-09-30T14:30:00.1234Z',
      '0000-01-01',
      '99999-01-01',
      '2025-09-30T10:00+19:00',
      '1727700000',
      '2025-09-30T10:00:00 +02:00',
    ]) {
      expect(() => parseInstant(bad, 'to')).toThrow(InvalidQueryError);
      expect(() => parseInstant(bad, 'to')).toThrow(/^'to' /);
    }
  });

  it('rejects a range whose end is before its start, and defaults `to` to now', () => {
    const now = new Date('2025-10-01T00:00:00Z');
    expect(() => parseRangeBounds('2025-09-02', '2025-09-01', now)).toThrow(/'to' .* must not be before 'from'/);
    expect(parseRangeBounds('2025-09-01', '2025-09-01', now).to.toISOString()).toBe('2025-09-01T23:59:59.999Z');
    expect(parseRangeBounds('2025-09-01', undefined, now).to).toBe(now);
  });

  it('reads bar intervals from catalog metadata, defaulting to one minute', () => {
    expect(barInterval(undefined)).toEqual({ ms: 60_000, label: 'minute' });
    expect(barInterval('1d')).toEqual({ ms: 86_400_000, label: 'day' });
    expect(barInterval('5m')).toEqual({ ms: 300_000, label: '5 minutes' });
    expect(barInterval('1h')).toEqual({ ms: 3_600_000, label: 'hour' });
    expect(barInterval('0m')).toEqual({ ms: 60_000, label: 'minute' });
    expect(barInterval('weekly')).toEqual({ ms: 60_000, label: 'minute' });
  });
});
