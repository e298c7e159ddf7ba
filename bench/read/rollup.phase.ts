/**
 * bench:read (e) and (f): a year of one-minute bars read as `1d` through the API, which
 * serves it from the daily rollups (about 252 rows), against the raw driver draining the
 * same year's base rows (about 98,000 rows in twelve month buckets). The series is written
 * through the library's SeriesWriter, so its rollups are kept as the ingestor keeps them.
 */
import type { Client } from 'cassandra-driver';
import {
  type BarValues,
  type CassandraConfig,
  CassandraSession,
  CatalogRepository,
  PartitionChangeRepository,
  QuoteRepository,
  RollupRepository,
  SeriesExtentRepository,
  SeriesWriter,
  TimeSeriesRepository,
  consistencyCode,
} from '@market/cassandra';
import { parseTimeZone } from '@market/domain';
import { median } from '../median';

export const YEAR_ASSET = 'BENCHYEAR';
const PAGE = 1000;
const RUNS = 9;

/** The first 252 weekdays of 2024, 390 one-minute bars each (13:30-20:00 UTC): 98,280 bars. */
function yearOfMinutes(): BarValues[][] {
  const days: BarValues[][] = [];
  for (let ms = Date.UTC(2024, 0, 1); days.length < 252; ms += 86_400_000) {
    const weekday = new Date(ms).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    const dayIndex = days.length;
    days.push(
      Array.from({ length: 390 }, (_, minute) => ({
        ts: new Date(ms + 13.5 * 3_600_000 + minute * 60_000),
        price: (180 + ((dayIndex * 390 + minute) % 997) / 100).toFixed(2),
        open: (180 + ((dayIndex * 390 + minute) % 991) / 100).toFixed(2),
        high: (185 + ((dayIndex * 390 + minute) % 500) / 100).toFixed(2),
        low: (175 + ((dayIndex * 390 + minute) % 500) / 100).toFixed(2),
        volume: 1000 + minute,
      })),
    );
  }
  return days;
}

/** Writes the year through the series writer (base rows, extent and daily rollups); returns the bars written. */
export async function seedYear(config: CassandraConfig): Promise<number> {
  const meta = { interval: '1m', timezone: 'America/New_York' };
  return seedDays(config, { id: YEAR_ASSET, name: 'Benchmark year', meta }, yearOfMinutes());
}

/** Writes a series' catalog entry and its days of bars through the series writer, with rollups; returns the bars written. */
export async function seedDays(
  config: CassandraConfig,
  entry: { readonly id: string; readonly name: string; readonly meta: Record<string, string> },
  days: Iterable<BarValues[]>,
): Promise<number> {
  const session = new CassandraSession(config);
  await session.onModuleInit();
  try {
    const zone = parseTimeZone(entry.meta.timezone ?? 'UTC');
    await new CatalogRepository(session).upsert('asset', { ...entry, symbol: entry.id });
    const writer = new SeriesWriter(
      new TimeSeriesRepository(session),
      new QuoteRepository(session),
      new SeriesExtentRepository(session),
      new RollupRepository(session),
      { batchRows: 100, concurrency: 8 },
      new PartitionChangeRepository(session),
    );
    let written = 0;
    for (const day of days) {
      await writer.write('asset', entry.id, 'bench', day, zone);
      written += day.length;
    }
    return written;
  } finally {
    await session.onApplicationShutdown();
  }
}

/** (f): the raw driver drains the year's base rows, month bucket after month bucket, pages of 1,000. */
export function rawYearDrain(client: Client, config: CassandraConfig): () => Promise<number> {
  const select = `SELECT ts, price, open, high, low, volume, source_id FROM ${config.keyspace}.asset_timeseries WHERE asset_id = ? AND bucket = ?`;
  return async () => {
    let rows = 0;
    for (let month = 1; month <= 12; month += 1) {
      let pageState: string | undefined;
      do {
        const result = await client.execute(select, [YEAR_ASSET, `2024-${String(month).padStart(2, '0')}`], {
          prepare: true,
          fetchSize: PAGE,
          consistency: consistencyCode(config.readConsistency),
          isIdempotent: true,
          ...(pageState === undefined ? {} : { pageState }),
        });
        rows += result.rowLength;
        pageState = result.pageState ?? undefined;
      } while (pageState !== undefined);
    }
    return rows;
  };
}

export interface YearReadResult {
  readonly dailyMs: number;
  readonly dailyBars: number;
  readonly rawMs: number;
  readonly rawRows: number;
}

/** Times RUNS of (e) and (f) alternately (after two untimed of each) and takes each one's median. */
export async function timeYearReads(
  dailyDrain: () => Promise<number>,
  rawDrain: () => Promise<number>,
): Promise<YearReadResult> {
  for (let index = 0; index < 2; index += 1) {
    await dailyDrain();
    await rawDrain();
  }
  const daily: number[] = [];
  const raw: number[] = [];
  let [dailyBars, rawRows] = [0, 0];
  for (let index = 0; index < RUNS; index += 1) {
    let started = performance.now();
    dailyBars = await dailyDrain();
    daily.push(performance.now() - started);
    started = performance.now();
    rawRows = await rawDrain();
    raw.push(performance.now() - started);
  }
  return { dailyMs: median(daily), dailyBars, rawMs: median(raw), rawRows };
}
