import { DateTime } from 'luxon';
import { type BarInterval, barIntervalMs } from './bar-interval';
import { isWeekend, usEquityYear } from './us-equity-holidays';

/**
 * Exchange calendars: which days trade and from when to when. No well-kept npm package
 * carries NYSE's early closes and one-off closures (the one found, `nyse-holidays`, lists
 * federal holidays only), so the US rules are ours (us-equity-holidays.ts) and a test holds
 * them to Python's `exchange_calendars` for every day 2000–2035.
 */
const CALENDARS = {
  /** New York Stock Exchange: 09:30–16:00 New York, 13:00 on early closes. */
  XNYS: 'us-equity',
  /** Nasdaq: the same sessions as NYSE. */
  XNAS: 'us-equity',
  /** Crypto: every UTC day, all day. */
  '24/7': 'always-open',
} as const;

export type ExchangeCalendar = keyof typeof CALENDARS;

/** Every calendar by its name (the ISO 10383 MIC where there is one). */
export const EXCHANGE_CALENDARS = Object.freeze(Object.keys(CALENDARS)) as readonly ExchangeCalendar[];

/** True for a calendar's name (`XNYS`, `XNAS`, `24/7`). */
export function isExchangeCalendar(text: string): text is ExchangeCalendar {
  return Object.hasOwn(CALENDARS, text);
}

/** One trading session: its local date and its open and close as UTC instants. */
export interface TradingSession {
  /** The session's date in the exchange's zone, `YYYY-MM-DD`. */
  readonly date: string;
  /** Epoch ms, inclusive. */
  readonly openMs: number;
  /** Epoch ms, exclusive. */
  readonly closeMs: number;
  /** True when the session ends before the regular close (13:00 in New York). */
  readonly earlyClose: boolean;
}

const DAY_MS = 86_400_000;
const NEW_YORK = 'America/New_York';

/** The session on a date (`YYYY-MM-DD` of the exchange's zone), or null when it does not trade. */
export function tradingSession(calendar: ExchangeCalendar, date: string): TradingSession | null {
  const dayMs = Date.parse(`${date}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(dayMs)) throw new RangeError(`not a date: "${date}"`);
  return sessionOnDay(calendar, dayMs);
}

/** The sessions that overlap [fromMs, toMs) (toMs exclusive), oldest first. */
export function tradingSessionsBetween(calendar: ExchangeCalendar, fromMs: number, toMs: number): TradingSession[] {
  const sessions: TradingSession[] = [];
  // A session's local date lies within a day of its UTC instants, whatever the zone.
  const first = Math.floor(fromMs / DAY_MS) * DAY_MS - DAY_MS;
  for (let dayMs = first; dayMs < toMs + DAY_MS; dayMs += DAY_MS) {
    const session = sessionOnDay(calendar, dayMs);
    if (session !== null && session.closeMs > fromMs && session.openMs < toMs) sessions.push(session);
  }
  return sessions;
}

/**
 * The start of every base bar a session of `interval` bars holds, ascending. Intraday bars
 * start at the open and every interval after (the last one may be cut short by the close,
 * as the 15:30 `1h` bar is); a session's one `1d` bar is stamped 00:00 UTC of its date, as
 * every daily source here stamps it.
 */
export function expectedBarStarts(session: TradingSession, interval: BarInterval): number[] {
  if (interval === '1d') return [Date.parse(`${session.date}T00:00:00Z`)];
  const width = barIntervalMs(interval);
  const starts: number[] = [];
  for (let start = session.openMs; start < session.closeMs; start += width) starts.push(start);
  return starts;
}

/**
 * Sessions by calendar and day, remembered: resolving 09:30 New York takes Luxon zone
 * lookups, and every one-day fetch or coverage of every symbol asks for the same few dates.
 * Cleared whole when full (36 years of days fit), which is as good as an LRU here.
 */
const knownSessions = new Map<string, TradingSession | null>();
const KNOWN_SESSIONS_MAX = 40_000;

function sessionOnDay(calendar: ExchangeCalendar, dayMs: number): TradingSession | null {
  const key = `${calendar}:${dayMs}`;
  const known = knownSessions.get(key);
  if (known !== undefined) return known;
  if (knownSessions.size >= KNOWN_SESSIONS_MAX) knownSessions.clear();
  const session = computeSession(calendar, dayMs);
  knownSessions.set(key, session);
  return session;
}

function computeSession(calendar: ExchangeCalendar, dayMs: number): TradingSession | null {
  const date = new Date(dayMs).toISOString().slice(0, 10);
  switch (CALENDARS[calendar]) {
    case 'always-open':
      return { date, openMs: dayMs, closeMs: dayMs + DAY_MS, earlyClose: false };
    case 'us-equity': {
      if (isWeekend(dayMs)) return null;
      const year = usEquityYear(new Date(dayMs).getUTCFullYear());
      if (year.closed.has(dayMs)) return null;
      const earlyClose = year.earlyCloses.has(dayMs);
      return {
        date,
        openMs: newYorkTime(date, 9, 30),
        closeMs: newYorkTime(date, earlyClose ? 13 : 16, 0),
        earlyClose,
      };
    }
  }
}

function newYorkTime(date: string, hour: number, minute: number): number {
  return DateTime.fromISO(date, { zone: NEW_YORK }).set({ hour, minute }).toMillis();
}

/**
 * The calendar each known source's series trade on, for catalog entries written before
 * entries carried `meta.calendar`: US equities (synthetic, Yahoo, Alpha Vantage, Stooq) on
 * NYSE, Binance around the clock. FRED's series follow no exchange.
 */
const LEGACY_SOURCE_CALENDARS: Readonly<Record<string, ExchangeCalendar>> = {
  synthetic: 'XNYS',
  yahoo: 'XNYS',
  alphavantage: 'XNYS',
  stooq: 'XNYS',
  binance: '24/7',
};

/**
 * A series' exchange calendar from its catalog meta: `meta.calendar` when it names one, else
 * the one of its source; null when neither says (the series keeps no exchange's hours).
 */
export function catalogCalendar(meta: Readonly<Record<string, string>>): ExchangeCalendar | null {
  const stated = meta.calendar;
  if (stated !== undefined && isExchangeCalendar(stated)) return stated;
  const source = meta.source;
  if (source === undefined || !Object.hasOwn(LEGACY_SOURCE_CALENDARS, source)) return null;
  return LEGACY_SOURCE_CALENDARS[source] ?? null;
}
