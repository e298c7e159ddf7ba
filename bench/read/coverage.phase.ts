/**
 * bench:read (g) and (h): what a coverage report of one year costs against a `1d` read of the
 * same year, both through the API. The series holds XNYS's 2024 sessions of one-minute bars
 * (holidays and early closes as the calendar says), written through the SeriesWriter with its
 * daily rollups, with a few bars missing on some days so a handful of sessions are partial
 * and read their own base rows, as a real series' report does.
 */
import {
  type BarValues,
  type CassandraConfig,
  CassandraSession,
  CatalogRepository,
  QuoteRepository,
  RollupRepository,
  SeriesExtentRepository,
  SeriesWriter,
  TimeSeriesRepository,
} from '@market/cassandra';
import { expectedBarStarts, parseTimeZone, tradingSessionsBetween } from '@market/domain';
import { median } from '../median';

export const COVERAGE_ASSET = 'BENCHCOV';
const RUNS = 9;
/** Every this-many-th session loses a few bars (partial: its base rows are read). */
const PARTIAL_EVERY = 25;

/** Writes XNYS's 2024 sessions of minutes; returns the bars written and the partial sessions. */
export async function seedCoverageYear(config: CassandraConfig): Promise<{ bars: number; partial: number }> {
  const session = new CassandraSession(config);
  await session.onModuleInit();
  try {
    const zone = parseTimeZone('America/New_York');
    await new CatalogRepository(session).upsert('asset', {
      id: COVERAGE_ASSET,
      symbol: COVERAGE_ASSET,
      name: 'Benchmark coverage year',
      meta: { interval: '1m', timezone: zone.name, calendar: 'XNYS' },
    });
    const writer = new SeriesWriter(
      new TimeSeriesRepository(session),
      new QuoteRepository(session),
      new SeriesExtentRepository(session),
      new RollupRepository(session),
      { batchRows: 100, concurrency: 8 },
    );
    const sessions = tradingSessionsBetween('XNYS', Date.UTC(2024, 0, 1), Date.UTC(2025, 0, 1));
    let [bars, partial] = [0, 0];
    for (const [index, day] of sessions.entries()) {
      const starts = expectedBarStarts(day, '1m').filter(
        (_, minute) => index % PARTIAL_EVERY !== 0 || minute % 60 !== 7,
      );
      if (index % PARTIAL_EVERY === 0) partial += 1;
      const values: BarValues[] = starts.map((ts, minute) => ({
        ts: new Date(ts),
        price: (180 + ((index * 390 + minute) % 997) / 100).toFixed(2),
        open: null,
        high: null,
        low: null,
        volume: 1000 + minute,
      }));
      await writer.write('asset', COVERAGE_ASSET, 'bench', values, zone);
      bars += values.length;
    }
    return { bars, partial };
  } finally {
    await session.onApplicationShutdown();
  }
}

export interface CoverageReadResult {
  readonly coverageMs: number;
  readonly sessions: number;
  readonly dailyMs: number;
  readonly dailyBars: number;
}

/** Times RUNS of the coverage report and the `1d` read alternately (after two untimed of each); medians. */
export async function timeCoverageReads(
  coverage: () => Promise<number>,
  daily: () => Promise<number>,
): Promise<CoverageReadResult> {
  for (let index = 0; index < 2; index += 1) {
    await coverage();
    await daily();
  }
  const [coverageTimes, dailyTimes] = [[] as number[], [] as number[]];
  let [sessions, dailyBars] = [0, 0];
  for (let index = 0; index < RUNS; index += 1) {
    let started = performance.now();
    sessions = await coverage();
    coverageTimes.push(performance.now() - started);
    started = performance.now();
    dailyBars = await daily();
    dailyTimes.push(performance.now() - started);
  }
  return { coverageMs: median(coverageTimes), sessions, dailyMs: median(dailyTimes), dailyBars };
}
