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
