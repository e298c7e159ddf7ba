/**
 * bench:read (j) and (k): what a coverage report of one year costs against a `1d` read of the
 * same year, both through the API. The series holds XNYS's 2024 sessions of one-minute bars
 * (holidays and early closes as the calendar says), written through the SeriesWriter with its
 * daily rollups, with a few bars missing on some days so a handful of sessions are partial
 * and read their own base rows, as a real series' report does.
 */
import type { BarValues, CassandraConfig } from '@market/cassandra';
import { expectedBarStarts, tradingSessionsBetween } from '@market/domain';
import { seedDays, timeYearReads } from './rollup.phase';

export const COVERAGE_ASSET = 'BENCHCOV';
/** Every this-many-th session loses a few bars (partial: its base rows are read). */
const PARTIAL_EVERY = 25;

/** XNYS's 2024 sessions of minutes, a bar missing each hour of every 25th session. */
function sessionsOfMinutes(): BarValues[][] {
  const sessions = tradingSessionsBetween('XNYS', Date.UTC(2024, 0, 1), Date.UTC(2025, 0, 1));
  return sessions.map((day, index) =>
    expectedBarStarts(day, '1m')
      .filter((_, minute) => index % PARTIAL_EVERY !== 0 || minute % 60 !== 7)
      .map((ts, minute) => ({
        ts: new Date(ts),
        price: (180 + ((index * 390 + minute) % 997) / 100).toFixed(2),
        open: null,
        high: null,
        low: null,
        volume: 1000 + minute,
      })),
  );
}

/** Writes the sessions with their rollups; returns the bars written and the partial sessions. */
export async function seedCoverageYear(config: CassandraConfig): Promise<{ bars: number; partial: number }> {
  const days = sessionsOfMinutes();
  const meta = { interval: '1m', timezone: 'America/New_York', calendar: 'XNYS' };
  const bars = await seedDays(config, { id: COVERAGE_ASSET, name: 'Benchmark coverage year', meta }, days);
  return { bars, partial: Math.ceil(days.length / PARTIAL_EVERY) };
}

export interface CoverageReadResult {
  readonly coverageMs: number;
  readonly sessions: number;
  readonly dailyMs: number;
  readonly dailyBars: number;
}

/** Times the coverage report and the `1d` read alternately, as (e) and (f) are timed; medians of 9. */
export async function timeCoverageReads(
  coverage: () => Promise<number>,
  daily: () => Promise<number>,
): Promise<CoverageReadResult> {
  const timed = await timeYearReads(coverage, daily);
  return { coverageMs: timed.dailyMs, sessions: timed.dailyBars, dailyMs: timed.rawMs, dailyBars: timed.rawRows };
}
