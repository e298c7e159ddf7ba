import { barIntervalMs, describeBarInterval, parseBarInterval } from '@market/domain';
import { InvalidQueryError } from '../errors/api-errors';

/**
 * Strict ISO-8601 for `from`/`to`: a date (`2025-09-30`) or a date-time with optional
 * seconds, fraction (up to milliseconds: CQL timestamps hold no more) and offset. No
 * offset means UTC. `new Date(text)` is not used: it accepts far more than ISO-8601 and
 * reads an offset-less date-time in local time.
 */
const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

const FIRST_YEAR = 1;
const LAST_YEAR = 9999;

export interface RangeBounds {
  readonly from: Date;
  readonly to: Date;
}

/**
 * Parses one bound. A date alone means the start of that UTC day for `from` and its last
 * millisecond for `to`, so `to=2025-09-30` covers the whole day.
 */
export function parseInstant(text: string, parameter: 'from' | 'to'): Date {
  const match = ISO_INSTANT.exec(text);
  const fail = (why: string): never => {
    throw new InvalidQueryError(parameter, `'${parameter}' ${why} (got "${text.slice(0, 64)}")`);
  };
  if (match === null) {
    return fail('must be an ISO-8601 date (2025-09-30) or date-time (2025-09-30T14:30:00Z)');
  }
  const [, yearText, monthText, dayText, hourText, minuteText, secondText, fractionText, offsetText] = match;
  const year = Number(yearText);
  const month = Number(monthText);
  const day = Number(dayText);
  const dateOnly = hourText === undefined;
  const hour = Number(hourText ?? 0);
  const minute = Number(minuteText ?? 0);
  const second = Number(secondText ?? 0);
  const millisecond = Number((fractionText ?? '0').padEnd(3, '0'));
  if (year < FIRST_YEAR || year > LAST_YEAR) return fail(`must lie in the years ${FIRST_YEAR}-${LAST_YEAR}`);
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day);
  utc.setUTCHours(hour, minute, second, millisecond);
  // Round-tripping catches 2025-02-30, 24:00, 23:59:60 (no leap seconds in CQL) and the like.
  const valid =
    utc.getUTCFullYear() === year &&
    utc.getUTCMonth() === month - 1 &&
    utc.getUTCDate() === day &&
    utc.getUTCHours() === hour &&
    utc.getUTCMinutes() === minute &&
    utc.getUTCSeconds() === second;
  if (!valid) return fail('is not a real calendar date and time');
  let ms = utc.getTime();
  if (dateOnly && parameter === 'to') ms += 24 * 3600 * 1000 - 1;
  if (offsetText !== undefined && offsetText !== 'Z') {
    const sign = offsetText.startsWith('-') ? -1 : 1;
    const digits = offsetText.slice(1).replace(':', '');
    const offsetHours = Number(digits.slice(0, 2));
    const offsetMinutes = Number(digits.slice(2));
    if (offsetHours > 18 || offsetMinutes > 59) return fail('has an offset outside ±18:00');
    ms -= sign * (offsetHours * 60 + offsetMinutes) * 60_000;
  }
  const instant = new Date(ms);
  if (instant.getUTCFullYear() < FIRST_YEAR || instant.getUTCFullYear() > LAST_YEAR) {
    return fail(`must lie in the years ${FIRST_YEAR}-${LAST_YEAR}`);
  }
  return instant;
}

/** Both bounds of a range read; `to` defaults to now. `to < from` is rejected. */
export function parseRangeBounds(from: string, to: string | undefined, now: Date): RangeBounds {
  const bounds = { from: parseInstant(from, 'from'), to: to === undefined ? now : parseInstant(to, 'to') };
  if (bounds.to < bounds.from) {
    throw new InvalidQueryError(
      'to',
      `'to' (${bounds.to.toISOString()}) must not be before 'from' (${bounds.from.toISOString()})`,
    );
  }
  return bounds;
}

/** A series' bar interval from its catalog metadata (`1m`, `1d`, …); one minute when absent or unknown. */
export function barInterval(label: string | undefined): { ms: number; label: string } {
  const interval = parseBarInterval(label ?? '') ?? '1m';
  return { ms: barIntervalMs(interval), label: describeBarInterval(interval) };
}
