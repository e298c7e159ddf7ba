import { parseIsoTimestamp } from './iso-timestamp';

const instant = (text: string) => {
  const parsed = parseIsoTimestamp(text);
  return parsed.ok ? parsed.instant.toISOString() : parsed.why;
};

describe('parseIsoTimestamp', () => {
  it('reads dates, date-times, fractions and offsets, and takes no offset as UTC', () => {
    expect(instant('2025-08-01')).toBe('2025-08-01T00:00:00.000Z');
    expect(instant('2025-08-01T13:30')).toBe('2025-08-01T13:30:00.000Z');
    expect(instant('2025-08-01 13:30:15')).toBe('2025-08-01T13:30:15.000Z');
    expect(instant('2025-08-01T13:30:15.25Z')).toBe('2025-08-01T13:30:15.250Z');
    expect(instant('2025-08-01T09:30:00-04:00')).toBe('2025-08-01T13:30:00.000Z');
    expect(instant('2025-08-01T19:15:00+0545')).toBe('2025-08-01T13:30:00.000Z');
    expect(instant('2025-08-01T13:30:00.123000000Z')).toBe('2025-08-01T13:30:00.123Z');
  });

  it('says why a text names no instant', () => {
    expect(instant('08/01/2025')).toMatch(/is not an ISO-8601 date or date-time/);
    expect(instant('2025-02-30T10:00:00Z')).toBe('is not a real calendar date and time');
    expect(instant('2025-08-01T24:00:00Z')).toBe('is not a real calendar date and time');
    expect(instant('2025-08-01T13:30:00.1234Z')).toMatch(/finer than milliseconds/);
    expect(instant('')).toMatch(/is not an ISO-8601/);
  });
});
