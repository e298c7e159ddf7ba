/**
 * Strict ISO-8601 instants, the one parser of both apps (the API's `from`/`to`, the CLI's
 * `--from`/`--to`, the timestamps of imported files): a date (`2025-09-30`) or a date-time
 * with optional seconds, fraction and offset (`Z`, `+02:00`, `-0400`). No offset means UTC.
 * `Date.parse` is not used: it accepts far more than ISO-8601, rolls `2025-02-30` over into
 * March and reads an offset-less date-time in the process's local zone.
 */
const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** The years a CQL timestamp and `toISOString` both write as four digits. */
export const FIRST_YEAR = 1;
export const LAST_YEAR = 9999;
const DAY_MS = 86_400_000;

/** Where a date without a time of day falls: its first millisecond, or its last (an inclusive end). */
export type DateOnlyMeans = 'start-of-day' | 'end-of-day';

/** The instant a text names (and whether it was a date alone), or why it names none. */
export type ParsedIsoInstant =
  | { readonly ok: true; readonly instant: Date; readonly dateOnly: boolean }
  | { readonly ok: false; readonly why: string };

/** Parses strict ISO-8601; `why` reads after the value's name ("'from' is not a real ..."). */
export function parseIsoInstant(text: string, dateOnlyMeans: DateOnlyMeans = 'start-of-day'): ParsedIsoInstant {
  const match = ISO_INSTANT.exec(text);
  if (match === null) {
    return { ok: false, why: 'must be an ISO-8601 date (2025-09-30) or date-time (2025-09-30T14:30:00Z)' };
  }
  const [, yearText, monthText, dayText, hourText, minuteText, secondText, fraction = '', offset] = match;
  // CQL timestamps hold milliseconds: finer digits must be zeros, or two instants would merge.
  if (/[1-9]/.test(fraction.slice(3))) {
    return { ok: false, why: 'has a fraction finer than milliseconds, which the store cannot hold' };
  }
  const year = Number(yearText);
  const month = Number(monthText);
  const day = Number(dayText);
  const dateOnly = hourText === undefined;
  const hour = Number(hourText ?? 0);
  const minute = Number(minuteText ?? 0);
  const second = Number(secondText ?? 0);
  if (year < FIRST_YEAR || year > LAST_YEAR) return outsideYears();
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day);
  utc.setUTCHours(hour, minute, second, Number(fraction.slice(0, 3).padEnd(3, '0')));
  // Round-tripping catches 2025-02-30, 24:00, 23:59:60 (no leap seconds in CQL) and the like.
  const real =
    utc.getUTCFullYear() === year &&
    utc.getUTCMonth() === month - 1 &&
    utc.getUTCDate() === day &&
    utc.getUTCHours() === hour &&
    utc.getUTCMinutes() === minute &&
    utc.getUTCSeconds() === second;
  if (!real) return { ok: false, why: 'is not a real calendar date and time' };
  let ms = utc.getTime();
  if (dateOnly && dateOnlyMeans === 'end-of-day') ms += DAY_MS - 1;
  if (offset !== undefined && offset !== 'Z') {
    const sign = offset.startsWith('-') ? -1 : 1;
    const digits = offset.slice(1).replace(':', '');
    const offsetHours = Number(digits.slice(0, 2));
    const offsetMinutes = Number(digits.slice(2));
    if (offsetHours > 18 || offsetMinutes > 59) return { ok: false, why: 'has an offset outside ±18:00' };
    ms -= sign * (offsetHours * 60 + offsetMinutes) * 60_000;
  }
  const instant = new Date(ms);
  if (instant.getUTCFullYear() < FIRST_YEAR || instant.getUTCFullYear() > LAST_YEAR) return outsideYears();
  return { ok: true, instant, dateOnly };
}

function outsideYears(): ParsedIsoInstant {
  return { ok: false, why: `must lie in the years ${FIRST_YEAR}-${LAST_YEAR}` };
}
