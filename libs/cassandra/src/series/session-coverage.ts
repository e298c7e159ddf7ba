import type { TradingSession } from '@market/domain';

/** How a session (or a day without one) stands against the bars its calendar expects. */
export type CoverageStatus = 'complete' | 'partial' | 'missing' | 'no_session';

export const COVERAGE_STATUSES: readonly CoverageStatus[] = ['complete', 'partial', 'missing', 'no_session'];

/** A run of consecutive expected bars that are not stored: first and last bar start (both inclusive). */
export interface MissingRange {
  readonly fromMs: number;
  readonly toMs: number;
  readonly bars: number;
}

/** One session's coverage, or a closed day's (`no_session`, nothing expected). */
export interface SessionCoverage {
  readonly date: string;
  readonly session: TradingSession | null;
  readonly expected: number;
  readonly present: number;
  readonly missing: readonly MissingRange[];
  readonly status: CoverageStatus;
}

/** The runs of `expected` (ascending bar starts) that `present` lacks, in order. */
export function missingRanges(expected: readonly number[], present: ReadonlySet<number>): MissingRange[] {
  const ranges: MissingRange[] = [];
  let run: { fromMs: number; toMs: number; bars: number } | null = null;
  for (const start of expected) {
    if (present.has(start)) {
      run = null;
      continue;
    }
    if (run === null) {
      run = { fromMs: start, toMs: start, bars: 1 };
      ranges.push(run);
    } else {
      run.toMs = start;
      run.bars += 1;
    }
  }
  return ranges;
}

/** complete when every expected bar is there, missing when none is, partial between. */
export function sessionStatus(expected: number, present: number): CoverageStatus {
  if (expected === 0) return 'no_session';
  if (present >= expected) return 'complete';
  return present === 0 ? 'missing' : 'partial';
}

/** A session's coverage from the bar starts found among the expected ones. */
export function sessionCoverage(
  session: TradingSession,
  expected: readonly number[],
  found: ReadonlySet<number>,
): SessionCoverage {
  const missing = missingRanges(expected, found);
  const present = expected.length - missing.reduce((sum, range) => sum + range.bars, 0);
  return {
    date: session.date,
    session,
    expected: expected.length,
    present,
    missing,
    status: sessionStatus(expected.length, present),
  };
}

/** The coverage of a session known complete (its day's rollup count equals the expected count). */
export function completeSessionCoverage(session: TradingSession, expected: readonly number[]): SessionCoverage {
  return {
    date: session.date,
    session,
    expected: expected.length,
    present: expected.length,
    missing: [],
    status: sessionStatus(expected.length, expected.length),
  };
}

/** Totals over a report's days. */
export interface CoverageTotals {
  readonly sessions: number;
  readonly expected: number;
  readonly present: number;
  readonly missingBars: number;
  readonly byStatus: Readonly<Record<CoverageStatus, number>>;
}

export function coverageTotals(days: readonly SessionCoverage[]): CoverageTotals {
  const byStatus: Record<CoverageStatus, number> = { complete: 0, partial: 0, missing: 0, no_session: 0 };
  let [sessions, expected, present] = [0, 0, 0];
  for (const day of days) {
    byStatus[day.status] += 1;
    if (day.session === null) continue;
    sessions += 1;
    expected += day.expected;
    present += day.present;
  }
  return { sessions, expected, present, missingBars: expected - present, byStatus };
}
