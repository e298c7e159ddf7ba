import { UsageError } from './cli-command';
import { parseCliInstant } from './series-options';

describe('parseCliInstant', () => {
  it('refuses an impossible date instead of rolling it over into the next month', () => {
    expect(() => parseCliInstant('2025-02-30T00:00:00Z', 'from')).toThrow(UsageError);
    expect(() => parseCliInstant('2025-02-30T00:00:00Z', 'from')).toThrow(
      '--from is not a real calendar date and time (got "2025-02-30T00:00:00Z")',
    );
    expect(() => parseCliInstant('yesterday', 'to', true)).toThrow(/^--to must be an ISO-8601 date/);
  });

  it('reads a date-time without an offset as UTC, whatever the zone of the process', () => {
    const zone = process.env.TZ;
    try {
      for (const tz of ['UTC', 'America/New_York', 'Pacific/Chatham']) {
        process.env.TZ = tz;
        expect(parseCliInstant('2025-08-01T10:00', 'from').toISOString()).toBe('2025-08-01T10:00:00.000Z');
      }
    } finally {
      process.env.TZ = zone;
    }
  });

  it('makes a plain --to cover its whole day (the window ends at the next midnight, exclusive)', () => {
    expect(parseCliInstant('2025-08-31', 'to', true).toISOString()).toBe('2025-09-01T00:00:00.000Z');
    expect(parseCliInstant('2025-08-31', 'from').toISOString()).toBe('2025-08-31T00:00:00.000Z');
    expect(parseCliInstant('2025-08-31T12:00:00+02:00', 'to', true).toISOString()).toBe('2025-08-31T10:00:00.000Z');
  });
});
