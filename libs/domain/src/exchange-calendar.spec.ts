import {
  catalogCalendar,
  expectedBarStarts,
  isExchangeCalendar,
  tradingSession,
  tradingSessionsBetween,
} from './exchange-calendar';

const iso = (ms: number) => new Date(ms).toISOString();

describe('exchange calendars', () => {
  it.each([
    ['2024-03-29', 'Good Friday'],
    ['2022-06-20', 'Juneteenth observed on Monday'],
    ['2001-09-11', 'September 11'],
    ['2012-10-30', 'Hurricane Sandy'],
    ['2025-01-09', 'the national day of mourning for President Carter'],
    ['2021-07-05', 'Independence Day observed on Monday'],
    ['2027-06-18', 'Juneteenth observed on Friday'],
  ])('closes XNYS on %s (%s)', (date) => {
    expect(tradingSession('XNYS', date)).toBeNull();
  });

  it('trades on Juneteenth before 2022 and on a Saturday New Year not moved to Friday', () => {
    expect(tradingSession('XNYS', '2021-06-18')).not.toBeNull();
    expect(tradingSession('XNYS', '2021-12-31')).not.toBeNull();
  });

  it('opens at 09:30 and closes at 16:00 New York, across DST', () => {
    const winter = tradingSession('XNAS', '2025-01-10');
    const summer = tradingSession('XNAS', '2025-07-10');
    expect(winter && [iso(winter.openMs), iso(winter.closeMs)]).toEqual([
      '2025-01-10T14:30:00.000Z',
      '2025-01-10T21:00:00.000Z',
    ]);
    expect(summer && [iso(summer.openMs), iso(summer.closeMs)]).toEqual([
      '2025-07-10T13:30:00.000Z',
      '2025-07-10T20:00:00.000Z',
    ]);
  });

  it.each(['2025-07-03', '2025-11-28', '2025-12-24', '2003-12-26', '2002-07-05'])(
    'closes early at 13:00 on %s',
    (date) => {
      const session = tradingSession('XNYS', date);
      expect(session?.earlyClose).toBe(true);
      expect(session && session.closeMs - session.openMs).toBe(3.5 * 3_600_000);
    },
  );

  it('lists the sessions that overlap a window, oldest first', () => {
    const sessions = tradingSessionsBetween(
      'XNYS',
      Date.parse('2025-07-02T15:00:00Z'),
      Date.parse('2025-07-08T00:00:00Z'),
    );
    expect(sessions.map((session) => session.date)).toEqual(['2025-07-02', '2025-07-03', '2025-07-07']);
  });

  it('opens crypto every UTC day, all day', () => {
    const sessions = tradingSessionsBetween(
      '24/7',
      Date.parse('2025-12-24T00:00:00Z'),
      Date.parse('2025-12-27T00:00:00Z'),
    );
    expect(sessions.map((session) => [session.date, iso(session.openMs), session.closeMs - session.openMs])).toEqual([
      ['2025-12-24', '2025-12-24T00:00:00.000Z', 86_400_000],
      ['2025-12-25', '2025-12-25T00:00:00.000Z', 86_400_000],
      ['2025-12-26', '2025-12-26T00:00:00.000Z', 86_400_000],
    ]);
  });

  it('expects bars from the open on the interval grid, cut by the close, and one daily bar at 00:00 UTC', () => {
    const early = tradingSession('XNYS', '2025-11-28');
    if (early === null) throw new Error('2025-11-28 trades');
    expect(expectedBarStarts(early, '1m')).toHaveLength(210);
    expect(expectedBarStarts(early, '1h').map(iso)).toEqual([
      '2025-11-28T14:30:00.000Z',
      '2025-11-28T15:30:00.000Z',
      '2025-11-28T16:30:00.000Z',
      '2025-11-28T17:30:00.000Z',
    ]);
    expect(expectedBarStarts(early, '1d').map(iso)).toEqual(['2025-11-28T00:00:00.000Z']);
  });

  it('names a catalog entry calendar from meta.calendar, else from its source, else none', () => {
    expect(catalogCalendar({ calendar: 'XNAS', source: 'binance' })).toBe('XNAS');
    expect(catalogCalendar({ calendar: 'LSE', source: 'yahoo' })).toBe('XNYS');
    expect(catalogCalendar({ source: 'binance' })).toBe('24/7');
    expect(catalogCalendar({ source: 'fred' })).toBeNull();
    expect(isExchangeCalendar('24/7')).toBe(true);
    expect(isExchangeCalendar('toString')).toBe(false);
  });

  it('rejects text that is not a date', () => {
    expect(() => tradingSession('XNYS', '2025-13-40')).toThrow(RangeError);
  });
});
