import { parseIsoInstant } from '@market/domain';
import { InvalidQueryError } from '../errors/api-errors';

export interface RangeBounds {
  readonly from: Date;
  readonly to: Date;
}

/**
 * Parses one bound, strict ISO-8601 (`parseIsoInstant`: no offset means UTC, impossible
 * dates are refused). A date alone means the start of that UTC day for `from` and its last
 * millisecond for `to`, so `to=2025-09-30` covers the whole day.
 */
export function parseInstant(text: string, parameter: 'from' | 'to'): Date {
  const parsed = parseIsoInstant(text, parameter === 'to' ? 'end-of-day' : 'start-of-day');
  if (!parsed.ok) throw new InvalidQueryError(parameter, `'${parameter}' ${parsed.why} (got "${text.slice(0, 64)}")`);
  return parsed.instant;
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

const INTERVAL = /^(\d{1,4})(s|m|h|d)$/;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const UNIT_NAME = { s: 'second', m: 'minute', h: 'hour', d: 'day' } as const;

/** A series' bar interval from its catalog metadata (`1m`, `1d`, …); one minute when absent. */
export function barInterval(label: string | undefined): { ms: number; label: string } {
  const match = INTERVAL.exec(label ?? '');
  if (match === null || Number(match[1]) === 0) return { ms: 60_000, label: 'minute' };
  const count = Number(match[1]);
  const unit = match[2] as keyof typeof UNIT_MS;
  return { ms: count * UNIT_MS[unit], label: count === 1 ? UNIT_NAME[unit] : `${count} ${UNIT_NAME[unit]}s` };
}
