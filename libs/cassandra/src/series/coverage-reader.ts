import { Injectable } from '@nestjs/common';
import {
  type BarInterval,
  type ExchangeCalendar,
  type TimeZone,
  type TradingSession,
  expectedBarStarts,
  tradingSession,
  tradingSessionsBetween,
} from '@market/domain';
import type { SeriesKind } from '../price-point';
import { RollupRepository } from '../repositories/rollup.repository';
import { forEachBounded } from './for-each-bounded';
import { localDayAt, localDayNameAt } from './local-days';
import { RangeReader } from './range-reader';
import { type SessionCoverage, completeSessionCoverage, sessionCoverage } from './session-coverage';

const DAY_MS = 86_400_000;
/** Base rows per read when a session's own bars are read (a 24/7 day of minutes is 1,440). */
const SESSION_READ_ROWS = 5000;
/**
 * Sessions whose own base rows are read at once. One after the other, a year with 11 partial
 * sessions waited for 11 round trips in a row (see docs/coverage.md for the figures).
 */
const SESSION_READS_IN_FLIGHT = 8;

/** A series as coverage sees it: its calendar, stored interval and exchange zone. */
export interface CoverageSeries {
  readonly kind: SeriesKind;
  readonly seriesId: string;
  readonly calendar: ExchangeCalendar;
  readonly interval: BarInterval;
  readonly zone: TimeZone;
}

/** A session with the bar starts its calendar expects inside the range. */
interface ExpectedSession {
  readonly session: TradingSession;
  readonly starts: readonly number[];
  /** The local day (series zone) whose rollup holds all of them, or null when they span days. */
  readonly rollupDay: string | null;
  /** True when the range cuts the session, so its day's count cannot stand for it. */
  readonly cut: boolean;
}

/**
 * Coverage of a series against its exchange calendar over [from, to] (both inclusive): per
 * session, the base bars expected, those stored and the missing runs, plus the weekdays the
 * exchange is closed. Counts come from the daily rollups' `bar_count` (one partition read per
 * year); only a session whose count differs from what is expected (or that the range cuts)
 * reads its own base bars, to name the runs. Shared by the API's coverage route and the
 * ingestor's gap healing.
 */
@Injectable()
export class CoverageReader {
  constructor(
    private readonly rollups: RollupRepository,
    private readonly ranges: RangeReader,
  ) {}

  /** Every session and closed weekday of the range, by date. */
  async coverage(series: CoverageSeries, from: Date, to: Date, maxEmptyBuckets: number): Promise<SessionCoverage[]> {
    const [fromMs, toMs] = [from.getTime(), to.getTime()];
    const sessions = expectedSessions(series, fromMs, toMs);
    const counts = await this.dayCounts(series, fromMs, toMs);
    const shared = new Map<string, number>();
    for (const { rollupDay } of sessions)
      if (rollupDay !== null) shared.set(rollupDay, (shared.get(rollupDay) ?? 0) + 1);
    const days: SessionCoverage[] = new Array<SessionCoverage>(sessions.length);
    const toRead: number[] = [];
    for (const [index, expected] of sessions.entries()) {
      const count = expected.rollupDay === null ? undefined : counts.get(expected.rollupDay);
      const alone = expected.rollupDay !== null && shared.get(expected.rollupDay) === 1 && !expected.cut;
      // A day's count that equals the expected one stands for the session: no Set, no walk.
      if (alone && count === expected.starts.length)
        days[index] = completeSessionCoverage(expected.session, expected.starts);
      else if (alone && count === undefined)
        days[index] = sessionCoverage(expected.session, expected.starts, new Set());
      else toRead.push(index);
    }
    await forEachBounded(toRead, SESSION_READS_IN_FLIGHT, async (index) => {
      const expected = sessions[index] as ExpectedSession;
      const found = await this.storedStarts(series, expected, maxEmptyBuckets);
      days[index] = sessionCoverage(expected.session, expected.starts, found);
    });
    return [...days, ...closedDays(series.calendar, fromMs, toMs)].sort((left, right) =>
      left.date.localeCompare(right.date),
    );
  }

  /** `bar_count` of every local day the range touches, from the rollups. */
  private async dayCounts(series: CoverageSeries, fromMs: number, toMs: number): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    const firstDay = localDayAt(fromMs - DAY_MS, series.zone).day;
    const lastDay = localDayAt(toMs + DAY_MS, series.zone).day;
    for await (const rollup of this.rollups.days(series.kind, series.seriesId, firstDay, lastDay)) {
      counts.set(rollup.day, rollup.barCount);
    }
    return counts;
  }

  /** The expected bar starts of one session that are stored: a bounded read of its own base rows. */
  private async storedStarts(
    series: CoverageSeries,
    expected: ExpectedSession,
    maxEmptyBuckets: number,
  ): Promise<Set<number>> {
    const wanted = new Set(expected.starts);
    const found = new Set<number>();
    const [first, last] = [expected.starts[0] ?? 0, expected.starts.at(-1) ?? 0];
    let position = null;
    do {
      const page = await this.ranges.readPage({
        kind: series.kind,
        seriesId: series.seriesId,
        from: new Date(first),
        to: new Date(last),
        order: 'asc',
        limit: SESSION_READ_ROWS,
        position,
        maxEmptyBuckets,
      });
      for (const point of page.points) if (wanted.has(point.ts.getTime())) found.add(point.ts.getTime());
      position = page.next;
    } while (position !== null);
    return found;
  }
}

function expectedSessions(series: CoverageSeries, fromMs: number, toMs: number): ExpectedSession[] {
  const sessions: ExpectedSession[] = [];
  // A daily bar is stamped 00:00 UTC of its date, up to a day from its session's hours.
  const margin = series.interval === '1d' ? DAY_MS : 0;
  for (const session of tradingSessionsBetween(series.calendar, fromMs - margin, toMs + 1 + margin)) {
    const all = expectedBarStarts(session, series.interval);
    const starts = all.filter((start) => start >= fromMs && start <= toMs);
    const [first, last] = [starts[0], starts.at(-1)];
    if (first === undefined || last === undefined) continue;
    // Named by offset, not by localDayAt: Luxon's DateTimes took most of a year's report (docs/coverage.md).
    const firstDay = localDayNameAt(first, series.zone);
    const rollupDay = firstDay === localDayNameAt(last, series.zone) ? firstDay : null;
    sessions.push({ session, starts, rollupDay, cut: starts.length !== all.length });
  }
  return sessions;
}

/** Weekdays of the range on which the exchange is closed (holidays), as `no_session` days. */
function closedDays(calendar: ExchangeCalendar, fromMs: number, toMs: number): SessionCoverage[] {
  const days: SessionCoverage[] = [];
  for (let dayMs = Math.floor(fromMs / DAY_MS) * DAY_MS; dayMs <= toMs; dayMs += DAY_MS) {
    const weekday = new Date(dayMs).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    const date = new Date(dayMs).toISOString().slice(0, 10);
    if (tradingSession(calendar, date) !== null) continue;
    days.push({ date, session: null, expected: 0, present: 0, missing: [], status: 'no_session' });
  }
  return days;
}
