import {
  type BarInterval,
  type ExchangeCalendar,
  type TimeZone,
  type Timeframe,
  expectedBarStarts,
  nextTimeframeStartMs,
  timeframeStartMs,
  tradingSessionsBetween,
} from '@market/domain';

/** The bar grid a page is filled on: the stored interval's (raw bars) or a timeframe's in a zone. */
export type FillGrid =
  | { readonly kind: 'interval'; readonly interval: BarInterval }
  | { readonly kind: 'timeframe'; readonly timeframe: Timeframe; readonly zone: TimeZone };

/** Thrown when filling one page would create more bars than a request may. */
export class FillTooLargeError extends Error {
  override readonly name = 'FillTooLargeError';

  constructor(readonly cap: number) {
    super(`fill=previous would add more than ${cap} bars to this page (RANGE_CAP_POINTS): narrow the range`);
  }
}

/**
 * The starts of the grid's bars in (afterMs, beforeMs) and in [fromMs, toMs] that lie in a
 * session of the calendar (a timeframe bar counts when its interval overlaps one), ascending.
 * Throws FillTooLargeError past `cap` slots, so a sparse series over years stays bounded.
 */
export function fillSlots(
  calendar: ExchangeCalendar,
  grid: FillGrid,
  window: { readonly afterMs: number; readonly beforeMs: number; readonly fromMs: number; readonly toMs: number },
  cap: number,
): number[] {
  const low = Math.max(window.afterMs + 1, window.fromMs);
  const high = Math.min(window.beforeMs - 1, window.toMs);
  if (low > high) return [];
  const slots: number[] = [];
  const take = (start: number) => {
    if (slots.length >= cap) throw new FillTooLargeError(cap);
    slots.push(start);
  };
  if (grid.kind === 'interval') {
    const margin = grid.interval === '1d' ? 86_400_000 : 0;
    for (const session of tradingSessionsBetween(calendar, low - margin, high + 1 + margin)) {
      for (const start of expectedBarStarts(session, grid.interval)) if (start >= low && start <= high) take(start);
    }
    return slots;
  }
  const { timeframe, zone } = grid;
  // Every bar of the timeframe that overlaps a session, session by session (a week or a
  // month overlaps several: kept once).
  let lastTaken = Number.NEGATIVE_INFINITY;
  const firstStart = timeframeStartMs(low, timeframe, zone);
  for (const session of tradingSessionsBetween(calendar, firstStart, high + 1)) {
    let start = timeframeStartMs(session.openMs, timeframe, zone);
    for (; start < session.closeMs && start <= high; start = nextTimeframeStartMs(start, timeframe, zone)) {
      if (start >= low && start > lastTaken) {
        take(start);
        lastTaken = start;
      }
    }
  }
  return slots;
}

/** Something with a time and a close: a base row or an aggregated bar. */
export interface Closed {
  readonly ts: number;
  readonly close: string;
}

/**
 * Merges filled bars into an ascending page: each real item owns the slots between its
 * predecessor (in the page, or `previous` before the page) and itself; the slots after the
 * last real item up to the range's end are filled only on the page that ends the range
 * (`last`), so paging yields every slot exactly once. A slot before the series' first bar is
 * never filled. Returns the page and the instants it filled.
 */
export function fillPage<T extends Closed>(
  items: readonly T[],
  previous: Closed | null,
  last: boolean,
  slotsBetween: (afterMs: number, beforeMs: number) => number[],
  filled: (ts: number, close: string) => T,
): { readonly items: T[]; readonly filledTs: ReadonlySet<number> } {
  const page: T[] = [];
  const filledTs = new Set<number>();
  const fillUpTo = (before: Closed, beforeMs: number) => {
    for (const ts of slotsBetween(before.ts, beforeMs)) {
      page.push(filled(ts, before.close));
      filledTs.add(ts);
    }
  };
  let before = previous;
  for (const item of items) {
    if (before !== null) fillUpTo(before, item.ts);
    page.push(item);
    before = item;
  }
  if (last && before !== null) fillUpTo(before, Number.MAX_SAFE_INTEGER);
  return { items: page, filledTs };
}
