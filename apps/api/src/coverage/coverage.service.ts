import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { RangeReader, RollupRepository, type SeriesKind, localDayAt } from '@market/cassandra';
import {
  type BarInterval,
  type ExchangeCalendar,
  type TimeZone,
  type TradingSession,
  catalogCalendar,
  catalogTimeZone,
  expectedBarStarts,
  parseBarInterval,
  parseTimeZone,
  tradingSession,
  tradingSessionsBetween,
} from '@market/domain';
import { CatalogEntryCache } from '../catalog/catalog-entry.cache';
import { apiConfig } from '../config/api.config';
import { InvalidQueryError, ResourceNotFoundError } from '../errors/api-errors';
import { parseRangeBounds } from '../time-series/range-bounds';
import { type CoverageTotals, type SessionCoverage, coverageTotals, sessionCoverage } from './session-coverage';

/** A report spans at most this many days: one rollup partition, or two, per request. */
export const COVERAGE_MAX_DAYS = 366;

const DAY_MS = 86_400_000;
/** A series whose interval the catalog does not state is read as one-minute bars (as range reads do). */
const ASSUMED_INTERVAL: BarInterval = '1m';

export interface CoverageReport {
  readonly id: string;
  readonly calendar: ExchangeCalendar;
  readonly interval: BarInterval;
  readonly from: Date;
  readonly to: Date;
  readonly days: readonly SessionCoverage[];
  readonly totals: CoverageTotals;
}

/** A session with the bar starts its calendar expects inside the report's range. */
interface ExpectedSession {
  readonly session: TradingSession;
  readonly starts: readonly number[];
  /** The local day (series zone) whose rollup holds all of them, or null when they span days. */
  readonly rollupDay: string | null;
  /** True when the range cuts the session, so its day's count cannot stand for it. */
  readonly cut: boolean;
}

/**
 * Coverage of a series against its exchange calendar: per session, the base bars its
 * calendar and interval expect, those stored, the missing runs, a status. Counts come from
 * the daily rollups' `bar_count` (one partition read per year); only a session whose count
 * falls short (or whose day the range cuts) reads its own base bars, to name the runs.
 */
@Injectable()
export class CoverageService {
  constructor(
    private readonly catalog: CatalogEntryCache,
    private readonly rollups: RollupRepository,
    private readonly ranges: RangeReader,
    @Inject(apiConfig.KEY) private readonly config: ConfigType<typeof apiConfig>,
  ) {}

  async coverage(kind: SeriesKind, id: string, range: { from: string; to?: string }): Promise<CoverageReport> {
    const { from, to } = parseRangeBounds(range.from, range.to, new Date());
    if (to.getTime() - from.getTime() >= COVERAGE_MAX_DAYS * DAY_MS) {
      throw new InvalidQueryError('to', `a coverage report spans at most ${COVERAGE_MAX_DAYS} days: split the range`);
    }
    const entry = await this.catalog.get(kind, id);
    if (entry === null) throw new ResourceNotFoundError(kind, id);
    const calendar = catalogCalendar(entry.meta);
    if (calendar === null) {
      throw new InvalidQueryError('id', `${kind} "${id}" follows no exchange calendar (its source keeps no sessions)`);
    }
    const interval = parseBarInterval(entry.meta.interval ?? '') ?? ASSUMED_INTERVAL;
    const zone = parseTimeZone(catalogTimeZone(entry.meta));
    const sessions = this.expectedSessions(calendar, interval, zone, from.getTime(), to.getTime());
    const counts = await this.dayCounts(kind, id, zone, from.getTime(), to.getTime());
    const shared = new Map<string, number>();
    for (const { rollupDay } of sessions) if (rollupDay !== null) shared.set(rollupDay, (shared.get(rollupDay) ?? 0) + 1);
    const days: SessionCoverage[] = [];
    for (const expected of sessions) {
      const count = expected.rollupDay === null ? undefined : counts.get(expected.rollupDay);
      const alone = expected.rollupDay !== null && shared.get(expected.rollupDay) === 1 && !expected.cut;
      if (alone && (count ?? 0) === expected.starts.length) {
        days.push(sessionCoverage(expected.session, expected.starts, new Set(expected.starts)));
      } else if (alone && count === undefined) {
        days.push(sessionCoverage(expected.session, expected.starts, new Set()));
      } else {
        days.push(sessionCoverage(expected.session, expected.starts, await this.storedStarts(kind, id, expected)));
      }
    }
    const report = [...days, ...closedDays(calendar, from.getTime(), to.getTime())].sort((left, right) =>
      left.date.localeCompare(right.date),
    );
    return { id, calendar, interval, from, to, days: report, totals: coverageTotals(report) };
  }

  private expectedSessions(
    calendar: ExchangeCalendar,
    interval: BarInterval,
    zone: TimeZone,
    fromMs: number,
    toMs: number,
  ): ExpectedSession[] {
    const sessions: ExpectedSession[] = [];
    const window = interval === '1d' ? { fromMs: fromMs - DAY_MS, toMs: toMs + DAY_MS } : { fromMs, toMs: toMs + 1 };
    for (const session of tradingSessionsBetween(calendar, window.fromMs, window.toMs)) {
      const all = expectedBarStarts(session, interval);
      const starts = all.filter((start) => start >= fromMs && start <= toMs);
      const [first, last] = [starts[0], starts.at(-1)];
      if (first === undefined || last === undefined) continue;
      const firstDay = localDayAt(first, zone).day;
      const rollupDay = firstDay === localDayAt(last, zone).day ? firstDay : null;
      sessions.push({ session, starts, rollupDay, cut: starts.length !== all.length });
    }
    return sessions;
  }

  /** `bar_count` of every local day the range touches, from the rollups. */
  private async dayCounts(
    kind: SeriesKind,
    id: string,
    zone: TimeZone,
    fromMs: number,
    toMs: number,
  ): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    const [firstDay, lastDay] = [localDayAt(fromMs - DAY_MS, zone).day, localDayAt(toMs + DAY_MS, zone).day];
    for await (const rollup of this.rollups.days(kind, id, firstDay, lastDay)) counts.set(rollup.day, rollup.barCount);
    return counts;
  }

  /** The expected bar starts of one session that are stored: a bounded read of its own base rows. */
  private async storedStarts(kind: SeriesKind, id: string, expected: ExpectedSession): Promise<Set<number>> {
    const wanted = new Set(expected.starts);
    const found = new Set<number>();
    const [first, last] = [expected.starts[0] ?? 0, expected.starts.at(-1) ?? 0];
    let position = null;
    do {
      const page = await this.ranges.readPage({
        kind,
        seriesId: id,
        from: new Date(first),
        to: new Date(last),
        order: 'asc',
        limit: Math.min(this.config.rangeCapPoints, 5000),
        position,
        maxEmptyBuckets: this.config.rangeMaxEmptyBuckets,
      });
      for (const point of page.points) if (wanted.has(point.ts.getTime())) found.add(point.ts.getTime());
      position = page.next;
    } while (position !== null);
    return found;
  }
}

/** Weekdays of the range on which the calendar's exchange is closed (holidays), as `no_session` days. */
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
