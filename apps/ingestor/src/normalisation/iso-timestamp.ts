/**
 * Strict ISO-8601 for timestamps in imported files: a date (`2025-08-01`, midnight UTC) or a
 * date-time with optional seconds, fraction and offset (`Z`, `+02:00`, `-0400`); no offset
 * means UTC. `new Date(text)` is not used: it accepts far more than ISO-8601 and reads an
 * offset-less date-time in the process's local zone.
 */
const ISO_TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** The instant a timestamp text names, or why it names none. */
export type ParsedTimestamp =
  { readonly ok: true; readonly instant: Date } | { readonly ok: false; readonly why: string };

export function parseIsoTimestamp(text: string): ParsedTimestamp {
  const match = ISO_TIMESTAMP.exec(text);
  if (match === null) {
    return { ok: false, why: 'is not an ISO-8601 date or date-time (like 2025-08-01T14:30:00Z)' };
  }
  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '', offset] = match;
  // CQL timestamps hold milliseconds: finer digits must be zeros, or two points would merge.
  if (/[1-9]/.test(fraction.slice(3))) {
    return { ok: false, why: 'has a fraction finer than milliseconds, which the store cannot hold' };
  }
  const fields = [year, month, day, hour, minute, second].map(Number);
  const [y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0] = fields;
  const utc = new Date(0);
  utc.setUTCFullYear(y, mo - 1, d);
  utc.setUTCHours(h, mi, s, Number(fraction.slice(0, 3).padEnd(3, '0')));
  // Round-tripping catches 2025-02-30, 24:00, 23:59:60 and the like.
  const real =
    utc.getUTCFullYear() === y &&
    utc.getUTCMonth() === mo - 1 &&
    utc.getUTCDate() === d &&
    utc.getUTCHours() === h &&
    utc.getUTCMinutes() === mi &&
    utc.getUTCSeconds() === s;
  if (!real) return { ok: false, why: 'is not a real calendar date and time' };
  return { ok: true, instant: new Date(utc.getTime() - offsetMs(offset)) };
}

function offsetMs(offset: string | undefined): number {
  if (offset === undefined || offset === 'Z') return 0;
  const sign = offset.startsWith('-') ? -1 : 1;
  const digits = offset.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
}
