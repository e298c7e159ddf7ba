import fc from 'fast-check';
import { expectedBarStarts, parseTimeZone, tradingSessionsBetween } from '@market/domain';
import { type Closed, FillTooLargeError, fillPage, fillSlots } from './gap-fill';

// 2025-07-01 .. 2025-07-09: a holiday (4th), an early close (3rd) and a weekend.
const START = Date.parse('2025-07-01T00:00:00Z');
const END = Date.parse('2025-07-09T23:59:59.999Z');
const SLOTS = tradingSessionsBetween('XNYS', START, END).flatMap((session) => expectedBarStarts(session, '1h'));

interface Bar extends Closed {
  readonly filled: boolean;
}

/** The reference: every session slot and every stored bar of [from, to], a gap carrying the last close before it. */
function reference(stored: readonly Closed[], fromMs: number, toMs: number): Bar[] {
  const times = [...new Set([...SLOTS, ...stored.map((bar) => bar.ts)])]
    .filter((ts) => ts >= fromMs && ts <= toMs)
    .sort((left, right) => left - right);
  const out: Bar[] = [];
  for (const ts of times) {
    const real = stored.find((bar) => bar.ts === ts);
    if (real !== undefined) {
      out.push({ ...real, filled: false });
      continue;
    }
    const before = stored.filter((bar) => bar.ts < ts).at(-1);
    if (before !== undefined) out.push({ ts, close: before.close, filled: true });
  }
  return out;
}

/** Pages of the stored bars in [from, to] as a range read would cut them, filled one by one. */
function pagedFill(stored: readonly Closed[], fromMs: number, toMs: number, pageSize: number): Bar[] {
  const inRange = stored.filter((bar) => bar.ts >= fromMs && bar.ts <= toMs).map((bar) => ({ ...bar, filled: false }));
  const slotsBetween = (afterMs: number, beforeMs: number) =>
    fillSlots('XNYS', { kind: 'interval', interval: '1h' }, { afterMs, beforeMs, fromMs, toMs }, 10_000);
  const out: Bar[] = [];
  // A last page may be empty (the walk ended on a bucket boundary): a pageSize multiple says so.
  for (let start = 0; start <= inRange.length; start += pageSize) {
    const page = inRange.slice(start, start + pageSize);
    const last = start + pageSize > inRange.length;
    const firstTs = page[0]?.ts ?? toMs + 1;
    const previous = stored.filter((bar) => bar.ts < firstTs).at(-1) ?? null;
    out.push(...fillPage(page, previous, last, slotsBetween, (ts, close) => ({ ts, close, filled: true })).items);
    if (last) break;
  }
  return out;
}

describe('fill=previous', () => {
  it('equals the reference for any stored bars, range and page size, across pages', () => {
    const storedBars = fc
      .uniqueArray(fc.oneof(fc.constantFrom(...SLOTS), fc.integer({ min: START, max: END })), { maxLength: 30 })
      .map((times) =>
        times.sort((left, right) => left - right).map((ts, index) => ({ ts, close: `${100 + index}.25` })),
      );
    fc.assert(
      fc.property(
        storedBars,
        fc.integer({ min: START, max: END }),
        fc.integer({ min: 0, max: 5 * 86_400_000 }),
        fc.integer({ min: 1, max: 12 }),
        (stored, fromMs, span, pageSize) => {
          const toMs = Math.min(END, fromMs + span);
          expect(pagedFill(stored, fromMs, toMs, pageSize)).toEqual(reference(stored, fromMs, toMs));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('fills nothing on a holiday, after an early close or before the first bar', () => {
    const stored = [{ ts: Date.parse('2025-07-03T14:30:00Z'), close: '10.00' }];
    const filled = pagedFill(stored, START, Date.parse('2025-07-07T23:59:59Z'), 5).filter((bar) => bar.filled);
    expect(filled.map((bar) => new Date(bar.ts).toISOString())).toEqual([
      '2025-07-03T15:30:00.000Z',
      '2025-07-03T16:30:00.000Z',
      ...[13, 14, 15, 16, 17, 18, 19].map((hour) => `2025-07-07T${hour}:30:00.000Z`),
    ]);
  });

  it('fills whole timeframe bars that overlap a session, in the zone', () => {
    const zone = parseTimeZone('America/New_York');
    const window = { afterMs: Date.parse('2025-07-02T04:00:00Z'), beforeMs: Date.parse('2025-07-08T04:00:00Z') };
    const days = fillSlots('XNYS', { kind: 'timeframe', timeframe: '1d', zone }, { ...window, fromMs: START, toMs: END }, 10);
    expect(days.map((ts) => new Date(ts).toISOString())).toEqual([
      '2025-07-03T04:00:00.000Z',
      '2025-07-07T04:00:00.000Z',
    ]);
    const hours = fillSlots('XNYS', { kind: 'timeframe', timeframe: '1h', zone }, { ...window, fromMs: START, toMs: END }, 100);
    expect(hours.slice(0, 4).map((ts) => new Date(ts).toISOString())).toEqual([
      '2025-07-02T13:00:00.000Z',
      '2025-07-02T14:00:00.000Z',
      '2025-07-02T15:00:00.000Z',
      '2025-07-02T16:00:00.000Z',
    ]);
    expect(hours.filter((ts) => ts >= Date.parse('2025-07-03T04:00:00Z') && ts < Date.parse('2025-07-04T04:00:00Z'))).toHaveLength(4);
    expect(() => fillSlots('XNYS', { kind: 'interval', interval: '1h' }, { ...window, fromMs: START, toMs: END }, 3)).toThrow(
      FillTooLargeError,
    );
  });
});
