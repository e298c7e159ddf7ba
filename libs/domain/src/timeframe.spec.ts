import fc from 'fast-check';
import { DateTime } from 'luxon';
import { BAR_INTERVALS, barStartMs } from './bar-interval';
import {
  TIMEFRAMES,
  TIMEFRAME_SPELLINGS,
  type Timeframe,
  UnknownTimeZoneError,
  compareTimeframes,
  isFinerThan,
  isTimeZoneName,
  nextTimeframeStartMs,
  parseTimeZone,
  parseTimeframe,
  timeframeStartMs,
} from './timeframe';

const HOUR = 3_600_000;
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const newYork = parseTimeZone('America/New_York');
const london = parseTimeZone('Europe/London');
const kolkata = parseTimeZone('Asia/Kolkata');
const utc = parseTimeZone('UTC');

/** The bars of `timeframe` from the one holding `fromIso`, as UTC ISO starts. */
function starts(timeframe: Timeframe, zone: ReturnType<typeof parseTimeZone>, fromIso: string, count: number) {
  const result: string[] = [];
  let start = timeframeStartMs(at(fromIso), timeframe, zone);
  for (let index = 0; index < count; index += 1) {
    result.push(iso(start));
    start = nextTimeframeStartMs(start, timeframe, zone);
  }
  return result;
}

describe('timeframe vocabulary', () => {
  it('lists every timeframe finest first; every stored bar interval is one of them', () => {
    expect(TIMEFRAMES).toEqual(['1m', '5m', '15m', '30m', '1h', '4h', '1d', '1w', '1mo']);
    for (const interval of BAR_INTERVALS) expect(TIMEFRAMES).toContain(interval);
  });

  it("parses our labels and Alpaca's spellings, and nothing else", () => {
    expect(parseTimeframe('5m')).toBe('5m');
    expect(parseTimeframe('5Min')).toBe('5m');
    expect(parseTimeframe('1Hour')).toBe('1h');
    expect(parseTimeframe('4Hour')).toBe('4h');
    expect(parseTimeframe('1Day')).toBe('1d');
    expect(parseTimeframe('1Week')).toBe('1w');
    expect(parseTimeframe('1Month')).toBe('1mo');
    for (const text of ['', '1M', '2m', '60m', '1 m', '1min', '1day', 'daily', '1h ', 'toString', '__proto__']) {
      expect(parseTimeframe(text)).toBeNull();
    }
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.constantFrom(...TIMEFRAME_SPELLINGS)), (text) => {
        expect(parseTimeframe(text) !== null).toBe(TIMEFRAME_SPELLINGS.includes(text));
      }),
    );
  });

  it('orders timeframes by width and says which are finer than a stored interval', () => {
    expect(compareTimeframes('5m', '1h')).toBe(-1);
    expect(compareTimeframes('1d', '1d')).toBe(0);
    expect(compareTimeframes('1mo', '1w')).toBe(1);
    expect(isFinerThan('1m', '5m')).toBe(true);
    expect(isFinerThan('30m', '1h')).toBe(true);
    expect(isFinerThan('1h', '1h')).toBe(false);
    expect(isFinerThan('1w', '1d')).toBe(false);
  });
});

describe('time zones', () => {
  it('accepts IANA names and refuses anything else with a typed error', () => {
    for (const name of ['UTC', 'America/New_York', 'Europe/London', 'Asia/Kolkata', 'Asia/Kathmandu']) {
      expect(isTimeZoneName(name)).toBe(true);
    }
    for (const name of ['', 'Mars/Olympus', 'local', 'system', '+02:00', 'UTC+2', 'America/New York', ' UTC']) {
      expect(() => parseTimeZone(name)).toThrow(UnknownTimeZoneError);
    }
    expect(() => parseTimeZone('Mars/Olympus')).toThrow('unknown time zone "Mars/Olympus"');
  });
});

describe('alignment on a local clock', () => {
  it('gives New York a 23-hour day in March and a 25-hour day in November', () => {
    expect(starts('1d', newYork, '2025-03-09T12:00:00Z', 3)).toEqual([
      '2025-03-09T05:00:00.000Z',
      '2025-03-10T04:00:00.000Z',
      '2025-03-11T04:00:00.000Z',
    ]);
    expect(starts('1d', newYork, '2025-11-02T12:00:00Z', 2)).toEqual([
      '2025-11-02T04:00:00.000Z',
      '2025-11-03T05:00:00.000Z',
    ]);
  });

  it('starts hours on the local clock: two 01:00 bars in November, no 02:00 bar in March', () => {
    expect(starts('1h', newYork, '2025-11-02T04:00:00Z', 4)).toEqual([
      '2025-11-02T04:00:00.000Z', // 00:00 EDT
      '2025-11-02T05:00:00.000Z', // 01:00 EDT
      '2025-11-02T06:00:00.000Z', // 01:00 EST
      '2025-11-02T07:00:00.000Z', // 02:00 EST
    ]);
    expect(starts('1h', newYork, '2025-03-09T06:30:00Z', 3)).toEqual([
      '2025-03-09T06:00:00.000Z', // 01:00 EST
      '2025-03-09T07:00:00.000Z', // 03:00 EDT
      '2025-03-09T08:00:00.000Z',
    ]);
  });

  it('keeps 4-hour bars at 00/04/08 local, 3 hours long in March and 5 in November', () => {
    expect(starts('4h', newYork, '2025-03-09T05:00:00Z', 3)).toEqual([
      '2025-03-09T05:00:00.000Z', // 00:00 EST
      '2025-03-09T08:00:00.000Z', // 04:00 EDT
      '2025-03-09T12:00:00.000Z',
    ]);
    expect(starts('4h', newYork, '2025-11-02T06:30:00Z', 3)).toEqual([
      '2025-11-02T04:00:00.000Z', // 00:00 EDT; 06:30Z is the second 01:30
      '2025-11-02T09:00:00.000Z', // 04:00 EST
      '2025-11-02T13:00:00.000Z',
    ]);
  });

  it('starts weeks on Monday and months on the 1st across a year boundary', () => {
    expect(starts('1w', newYork, '2025-01-01T12:00:00Z', 2)).toEqual([
      '2024-12-30T05:00:00.000Z',
      '2025-01-06T05:00:00.000Z',
    ]);
    expect(starts('1mo', newYork, '2024-12-15T12:00:00Z', 3)).toEqual([
      '2024-12-01T05:00:00.000Z',
      '2025-01-01T05:00:00.000Z',
      '2025-02-01T05:00:00.000Z',
    ]);
    // The month holding 2025-01-01T02:00Z is still December in New York.
    expect(iso(timeframeStartMs(at('2025-01-01T02:00:00Z'), '1mo', newYork))).toBe('2024-12-01T05:00:00.000Z');
    expect(starts('1mo', newYork, '2025-03-01T12:00:00Z', 2)).toEqual([
      '2025-03-01T05:00:00.000Z',
      '2025-04-01T04:00:00.000Z',
    ]);
  });

  it('follows London across its March change and Kolkata on its half-hour offset', () => {
    expect(starts('1d', london, '2025-03-30T12:00:00Z', 2)).toEqual([
      '2025-03-30T00:00:00.000Z',
      '2025-03-30T23:00:00.000Z',
    ]);
    expect(starts('1h', kolkata, '2025-06-01T10:10:00Z', 2)).toEqual([
      '2025-06-01T09:30:00.000Z',
      '2025-06-01T10:30:00.000Z',
    ]);
    expect(starts('1d', kolkata, '2025-06-01T20:00:00Z', 1)).toEqual(['2025-06-01T18:30:00.000Z']);
    expect(starts('4h', kolkata, '2025-06-01T20:00:00Z', 2)).toEqual([
      '2025-06-01T18:30:00.000Z',
      '2025-06-01T22:30:00.000Z',
    ]);
  });

  it('agrees with the epoch-counted bar starts in UTC', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), fc.constantFrom(...BAR_INTERVALS), (ms, interval) => {
        expect(timeframeStartMs(ms, interval, utc)).toBe(barStartMs(ms, interval));
      }),
    );
  });

  const DST_CHANGES = [
    '2025-03-09T07:00:00Z',
    '2025-11-02T06:00:00Z',
    '2025-03-30T01:00:00Z',
    '2025-10-26T01:00:00Z',
    '2025-04-05T15:00:00Z',
    '2025-10-04T15:30:00Z',
    '2025-04-06T03:00:00Z',
    '2025-09-07T04:00:00Z',
  ];
  const zones = ['UTC', 'America/New_York', 'Europe/London', 'Asia/Kolkata', 'Australia/Lord_Howe', 'America/Santiago'];
  it('puts every instant in exactly one bar, whose start is a boundary of the local clock', () => {
    fc.assert(
      fc.property(
        // 1990 to 2040, with the days around DST changes weighted in.
        fc.oneof(
          fc.integer({ min: 631_152_000_000, max: 2_208_988_800_000 }),
          fc
            .tuple(fc.constantFrom(...DST_CHANGES), fc.integer({ min: -2 * 86_400_000, max: 2 * 86_400_000 }))
            .map(([change, shift]) => at(change) + shift),
        ),
        fc.constantFrom(...TIMEFRAMES),
        fc.constantFrom(...zones),
        (ms, timeframe, zoneName) => {
          const zone = parseTimeZone(zoneName);
          const start = timeframeStartMs(ms, timeframe, zone);
          const next = nextTimeframeStartMs(start, timeframe, zone);
          expect(start).toBeLessThanOrEqual(ms);
          expect(next).toBeGreaterThan(ms);
          expect(timeframeStartMs(start, timeframe, zone)).toBe(start);
          expect(timeframeStartMs(next, timeframe, zone)).toBe(next);
          expect(timeframeStartMs(next - 1, timeframe, zone)).toBe(start);
          const local = DateTime.fromMillis(start, { zone: zoneName });
          const isDayStart = local.startOf('day').toMillis() === start;
          if (timeframe === '1d') expect(isDayStart).toBe(true);
          else if (timeframe === '1w') expect(isDayStart && local.weekday === 1).toBe(true);
          else if (timeframe === '1mo') expect(isDayStart && local.day === 1).toBe(true);
          else {
            const widthMinutes = { '1m': 1, '5m': 5, '15m': 15, '30m': 30, '1h': 60, '4h': 240 }[timeframe];
            expect(isDayStart || (local.hour * 60 + local.minute) % widthMinutes === 0).toBe(true);
            expect(local.second + local.millisecond).toBe(0);
            expect(Math.abs(next - start - widthMinutes * 60_000)).toBeLessThanOrEqual(HOUR);
          }
        },
      ),
      { numRuns: 1500 },
    );
  });

  it("stays exact inside a UTC hour that holds an offset change (St John's, 2025-03-09 05:30Z)", () => {
    const zone = parseTimeZone('America/St_Johns');
    const change = at('2025-03-09T05:30:00Z');
    // The whole hours first, so that the hour of the change is cached (as changing) before its minutes are asked.
    for (const ms of [change - 1_800_000, change + 1_800_000]) timeframeStartMs(ms, '1h', zone);
    for (let ms = change - 3 * HOUR; ms < change + 3 * HOUR; ms += 60_000) {
      const local = DateTime.fromMillis(ms, { zone: 'America/St_Johns' });
      const reference = local.set({ minute: Math.floor(local.minute / 15) * 15, second: 0, millisecond: 0 });
      expect([new Date(ms).toISOString(), timeframeStartMs(ms, '15m', zone)]).toEqual([
        new Date(ms).toISOString(),
        reference.toMillis(),
      ]);
    }
  });

  it('walks every day of a DST year in New York as 365 local days summing to the year', () => {
    const year = starts('1d', newYork, '2025-01-01T12:00:00Z', 366);
    expect(year[0]).toBe('2025-01-01T05:00:00.000Z');
    expect(year[365]).toBe('2026-01-01T05:00:00.000Z');
    const lengths = year.slice(1).map((start, index) => (at(start) - at(year[index] ?? start)) / HOUR);
    expect(lengths.filter((hours) => hours === 23)).toHaveLength(1);
    expect(lengths.filter((hours) => hours === 25)).toHaveLength(1);
    expect(lengths.filter((hours) => hours === 24)).toHaveLength(363);
  });
});
