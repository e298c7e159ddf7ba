import { DateTime, IANAZone } from 'luxon';
import type { BarInterval } from './bar-interval';

/**
 * A timeframe is the width of the bars a reader asks for: a stored bar interval or a coarser
 * one. Sub-day timeframes count on the local clock of a zone (`1h` starts at :00 local, `4h`
 * at 00/04/08… local); `1d` is the local day, `1w` starts on Monday, `1mo` on the 1st.
 */
const TIMEFRAME_MINUTES = {
  '1m': 1,
  '5m': 5,
  '15m': 15,
  '30m': 30,
  '1h': 60,
  '4h': 240,
  '1d': null,
  '1w': null,
  '1mo': null,
} as const satisfies Readonly<Record<string, number | null>>;

/** `1m 5m 15m 30m 1h 4h 1d 1w 1mo`: every stored bar interval is one of them. */
export type Timeframe = keyof typeof TIMEFRAME_MINUTES;

/** The width of an intraday timeframe in minutes; null for `1d`, `1w` and `1mo`. */
export function timeframeMinutes(timeframe: Timeframe): number | null {
  return TIMEFRAME_MINUTES[timeframe];
}

/** Every timeframe, finest first. */
export const TIMEFRAMES = Object.freeze(Object.keys(TIMEFRAME_MINUTES)) as readonly Timeframe[];

/** Alpaca's spellings of our timeframes (its `timeframe` parameter), accepted as aliases. */
const ALPACA_ALIASES: Readonly<Record<string, Timeframe>> = {
  '1Min': '1m',
  '5Min': '5m',
  '15Min': '15m',
  '30Min': '30m',
  '1Hour': '1h',
  '4Hour': '4h',
  '1Day': '1d',
  '1Week': '1w',
  '1Month': '1mo',
};

/** Every spelling parseTimeframe accepts: our labels, then Alpaca's. */
export const TIMEFRAME_SPELLINGS = Object.freeze([...TIMEFRAMES, ...Object.keys(ALPACA_ALIASES)]);

/** The timeframe a label or Alpaca alias names (`5m`, `5Min`), or null for any other text. */
export function parseTimeframe(text: string): Timeframe | null {
  if (Object.hasOwn(TIMEFRAME_MINUTES, text)) return text as Timeframe;
  return Object.hasOwn(ALPACA_ALIASES, text) ? (ALPACA_ALIASES[text] ?? null) : null;
}

/** A stored bar interval as a timeframe: every interval a series stores is one. */
export function timeframeOfInterval(interval: BarInterval): Timeframe {
  return interval;
}

/** -1, 0 or 1 as `left` is finer than, as wide as, or coarser than `right`. */
export function compareTimeframes(left: Timeframe, right: Timeframe): -1 | 0 | 1 {
  const difference = TIMEFRAMES.indexOf(left) - TIMEFRAMES.indexOf(right);
  return difference < 0 ? -1 : difference > 0 ? 1 : 0;
}

/** True when bars of `timeframe` are narrower than the stored bars of `interval` (cannot be built from them). */
export function isFinerThan(timeframe: Timeframe, interval: BarInterval): boolean {
  return compareTimeframes(timeframe, timeframeOfInterval(interval)) < 0;
}

/** An IANA zone name we cannot resolve (`tz=Mars/Olympus`, a catalog entry's bad `meta.timezone`). */
export class UnknownTimeZoneError extends Error {
  constructor(readonly zoneName: string) {
    super(`unknown time zone "${zoneName}": expected an IANA name such as America/New_York or UTC`);
    this.name = 'UnknownTimeZoneError';
  }
}

/** The zone used where a series names none (SPEC §10). */
export const DEFAULT_TIME_ZONE = 'UTC';

/** A validated IANA zone: what the alignment functions take. */
export interface TimeZone {
  readonly name: string;
  readonly zone: IANAZone;
}

/** The zone an IANA name names; throws UnknownTimeZoneError for any other text (offsets such as `+02:00` too). */
export function parseTimeZone(name: string): TimeZone {
  // IANAZone.isValidZone accepts "UTC" and every tzdb name the runtime's ICU knows; we refuse
  // fixed offsets and luxon's own spellings ("local", "system") on purpose: a series' clock
  // is a place, whose offset may change.
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(name) || !IANAZone.isValidZone(name)) {
    throw new UnknownTimeZoneError(name);
  }
  return { name, zone: IANAZone.create(name) };
}

/** True for an IANA zone name parseTimeZone accepts. */
export function isTimeZoneName(name: string): boolean {
  try {
    parseTimeZone(name);
    return true;
  } catch {
    return false;
  }
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** Every UTC offset in use since 1970 is a whole number of quarter hours, so is every local clock boundary. */
const QUARTER_HOUR_MS = 15 * MINUTE_MS;
/** Enough quarter-hour steps to cross the widest sub-day bar plus a DST shift. */
const MAX_STEPS = 4 * 6;

const HOUR_MS = 60 * MINUTE_MS;
/** A zone's cache is dropped past this many hours (~11 years of hours, a few MB at most). */
const MAX_CACHED_HOURS = 100_000;
/** Per zone: UTC hour → the offset (minutes) of the whole hour, or null when it changes inside it. */
const hourOffsets = new WeakMap<IANAZone, Map<number, number | null>>();

/**
 * The zone's UTC offset at an instant, in ms. Luxon asks Intl for every offset (~5-40 µs a
 * call, the bulk of aggregating a month of 1-minute rows into 5m bars), so offsets are kept
 * per UTC hour: an hour whose first and last millisecond have the same offset has it
 * throughout, since no zone changes its offset twice within an hour. An hour holding a
 * change is marked and asked exactly each time.
 */
function offsetMs(zone: TimeZone, instantMs: number): number {
  let hours = hourOffsets.get(zone.zone);
  if (hours === undefined || hours.size >= MAX_CACHED_HOURS) {
    hours = new Map();
    hourOffsets.set(zone.zone, hours);
  }
  const hour = Math.floor(instantMs / HOUR_MS);
  let offset = hours.get(hour);
  if (offset === undefined) {
    const first = zone.zone.offset(hour * HOUR_MS);
    offset = first === zone.zone.offset(hour * HOUR_MS + HOUR_MS - 1) ? first : null;
    hours.set(hour, offset);
  }
  return (offset ?? zone.zone.offset(instantMs)) * MINUTE_MS;
}

/** Milliseconds since local midnight (wall clock) at an instant. */
function localTimeOfDayMs(zone: TimeZone, instantMs: number): number {
  const local = instantMs + offsetMs(zone, instantMs);
  return local - Math.floor(local / DAY_MS) * DAY_MS;
}

/** A sub-day bar boundary: the local clock shows a multiple of the width, or the local day starts. */
function isBoundary(zone: TimeZone, instantMs: number, widthMs: number): boolean {
  if (localTimeOfDayMs(zone, instantMs) % widthMs === 0) return true;
  return DateTime.fromMillis(instantMs, { zone: zone.zone }).startOf('day').toMillis() === instantMs;
}

function intradayStart(zone: TimeZone, instantMs: number, widthMs: number): number {
  const offset = offsetMs(zone, instantMs);
  const local = instantMs + offset;
  const candidate = local - (localTimeOfDayMs(zone, instantMs) % widthMs) - offset;
  // The usual case: no offset change between the candidate and the instant.
  if (offsetMs(zone, candidate) === offset) return candidate;
  // A DST change inside the bar: walk back over quarter hours to the latest boundary.
  let probe = Math.floor(instantMs / QUARTER_HOUR_MS) * QUARTER_HOUR_MS;
  for (let step = 0; step <= MAX_STEPS; step += 1, probe -= QUARTER_HOUR_MS) {
    if (isBoundary(zone, probe, widthMs)) return probe;
  }
  return candidate; // offsets off the quarter-hour grid (before 1970): the plain local arithmetic
}

function intradayNext(zone: TimeZone, startMs: number, widthMs: number): number {
  // Not startMs + widthMs: a bar that starts at a local day's start off the grid (a zone that
  // skips midnight) ends at the next grid point.
  const candidate = startMs + widthMs - (localTimeOfDayMs(zone, startMs) % widthMs);
  if (offsetMs(zone, candidate) === offsetMs(zone, startMs)) return candidate;
  let probe = Math.floor(startMs / QUARTER_HOUR_MS) * QUARTER_HOUR_MS + QUARTER_HOUR_MS;
  for (let step = 0; step <= MAX_STEPS; step += 1, probe += QUARTER_HOUR_MS) {
    if (isBoundary(zone, probe, widthMs)) return probe;
  }
  return candidate;
}

const CALENDAR_UNITS = { '1d': 'day', '1w': 'week', '1mo': 'month' } as const;
const ONE_CALENDAR_UNIT = { day: { days: 1 }, week: { weeks: 1 }, month: { months: 1 } } as const;

/**
 * The start, as a UTC instant in epoch milliseconds, of the `timeframe` bar holding
 * `instantMs` on the clock of `zone`. Weeks are ISO weeks (from Monday).
 */
export function timeframeStartMs(instantMs: number, timeframe: Timeframe, zone: TimeZone): number {
  const minutes = TIMEFRAME_MINUTES[timeframe];
  if (minutes !== null) return intradayStart(zone, instantMs, minutes * MINUTE_MS);
  const unit = CALENDAR_UNITS[timeframe as keyof typeof CALENDAR_UNITS];
  return DateTime.fromMillis(instantMs, { zone: zone.zone }).startOf(unit).toMillis();
}

/**
 * The start of the bar after the one that starts at `startMs` (a value of timeframeStartMs):
 * where this bar ends. A local day lasts 23 or 25 hours across a DST change.
 */
export function nextTimeframeStartMs(startMs: number, timeframe: Timeframe, zone: TimeZone): number {
  const minutes = TIMEFRAME_MINUTES[timeframe];
  if (minutes !== null) return intradayNext(zone, startMs, minutes * MINUTE_MS);
  const unit = CALENDAR_UNITS[timeframe as keyof typeof CALENDAR_UNITS];
  // startOf again: where a zone skips midnight, the next day starts at its first existing instant.
  return DateTime.fromMillis(startMs, { zone: zone.zone }).plus(ONE_CALENDAR_UNIT[unit]).startOf(unit).toMillis();
}
