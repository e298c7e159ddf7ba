/**
 * Wall-clock time in a named IANA zone ↔ UTC instants, with Intl only (no zone database
 * of our own). Providers that speak local time (Alpha Vantage's "US/Eastern") and the
 * synthetic market hours (09:30–16:00 America/New_York) both need it to be DST-correct.
 */

export interface LocalDateTime {
  readonly year: number;
  /** 1–12 */
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    // Throws RangeError for a zone Intl does not know.
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True when Intl knows the zone (`America/New_York`, `US/Eastern`, `UTC`, ...). */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock date and time of an instant in a zone. */
export function toLocalDateTime(instant: Date, timeZone: string): LocalDateTime {
  const parts = formatterFor(timeZone).formatToParts(instant);
  const field = (type: Intl.DateTimeFormatPartTypes): number => {
    const part = parts.find((candidate) => candidate.type === type);
    if (part === undefined) throw new RangeError(`Intl gave no ${type} for ${timeZone}`);
    return Number(part.value);
  };
  return {
    year: field('year'),
    month: field('month'),
    day: field('day'),
    hour: field('hour'),
    minute: field('minute'),
    second: field('second'),
  };
}

/** The zone's offset from UTC at an instant, in milliseconds (New York in July: -4 h). */
export function zoneOffsetMs(instantMs: number, timeZone: string): number {
  const wholeSeconds = Math.floor(instantMs / 1000) * 1000;
  return localAsUtcMs(toLocalDateTime(new Date(wholeSeconds), timeZone)) - wholeSeconds;
}

/**
 * The UTC instant of a wall-clock time in a zone. Around DST changes it resolves like
 * Temporal's 'compatible': a time that occurs twice (fall back) is the first occurrence, a
 * time that never occurs (spring forward) is moved forward by the gap (02:30 → 03:30).
 */
export function zonedToUtc(local: LocalDateTime, timeZone: string): Date {
  const asUtc = localAsUtcMs(local);
  // The zone's offsets a day either side cover both sides of any transition near this time.
  const offsetBefore = zoneOffsetMs(asUtc - DAY_MS, timeZone);
  const offsetAfter = zoneOffsetMs(asUtc + DAY_MS, timeZone);
  const candidates = [asUtc - offsetBefore, asUtc - offsetAfter]
    .filter((instant) => zoneOffsetMs(instant, timeZone) === asUtc - instant)
    .sort((a, b) => a - b);
  const first = candidates[0];
  // No candidate: the time falls in a gap; read it with the offset in force before the gap.
  return new Date(first ?? asUtc - offsetBefore);
}

function localAsUtcMs(local: LocalDateTime): number {
  const date = new Date(0);
  date.setUTCFullYear(local.year, local.month - 1, local.day);
  date.setUTCHours(local.hour, local.minute, local.second, 0);
  return date.getTime();
}
