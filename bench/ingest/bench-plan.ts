/**
 * What the ingest benchmark writes, shared by its phases: N one-minute bars for each of 100
 * assets over the same window. Phase (b) asks the ingestor's CLI to backfill that window
 * from its synthetic provider; (a) writes, through the raw driver, bars of the same calendar
 * (XNYS sessions from libs/domain, holidays and early closes included: the synthetic
 * provider's), so both phases store the same number of rows in the same partitions, with
 * prices of the same shape (two decimals, OHLC consistent). The bench checks the counts after
 * each phase: a calendar that drifted from the provider's would fail it, not skew it.
 */
import { DateTime } from 'luxon';
import { bucketOf } from '@market/cassandra';
import { expectedBarStarts, tradingSession } from '@market/domain';

export const ASSET_COUNT = 100;
export const DEFAULT_POINTS = 1_000_000;
/** The first session of the window; ~26 trading days of minutes reach into September (two buckets). */
const WINDOW_START = DateTime.fromISO('2025-08-01', { zone: 'UTC' });
const MINUTE_MS = 60_000;

export interface BenchPlan {
  readonly assets: readonly string[];
  readonly pointsPerAsset: number;
  readonly totalPoints: number;
  /** `[from, to)` holding exactly `pointsPerAsset` one-minute bars of every asset. */
  readonly window: { readonly from: Date; readonly to: Date };
  /** The month buckets the window touches: every asset has one partition in each. */
  readonly buckets: readonly string[];
}

/** One bar as (a) binds it: decimals as text. */
export interface BenchBar {
  readonly ts: Date;
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
  readonly volume: number;
}

/** The start of every session minute from `from` on, in order (endless). */
function* sessionMinutes(from: DateTime): Generator<number> {
  for (let date = from.startOf('day'); ; date = date.plus({ days: 1 })) {
    const session = tradingSession('XNYS', date.toISODate() ?? '');
    if (session === null) continue;
    for (const start of expectedBarStarts(session, '1m')) if (start >= from.toMillis()) yield start;
  }
}

/** The plan for `totalPoints` (rounded down to a multiple of the asset count). */
export function benchPlan(totalPoints: number): BenchPlan {
  const pointsPerAsset = Math.max(1, Math.floor(totalPoints / ASSET_COUNT));
  const assets = Array.from({ length: ASSET_COUNT }, (_, index) => `BENCH${String(index).padStart(3, '0')}`);
  let last = 0;
  let count = 0;
  const buckets = new Set<string>();
  for (const start of sessionMinutes(WINDOW_START)) {
    last = start;
    buckets.add(bucketOf(new Date(start)));
    count += 1;
    if (count === pointsPerAsset) break;
  }
  return {
    assets,
    pointsPerAsset,
    totalPoints: pointsPerAsset * ASSET_COUNT,
    window: { from: WINDOW_START.toJSDate(), to: new Date(last + MINUTE_MS) },
    buckets: [...buckets],
  };
}

/** A small deterministic hash of an asset id: its price level. */
function levelOf(asset: string): number {
  let hash = 2166136261;
  for (const char of asset) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
  return 20 + (hash % 480);
}

const cents = (value: number): string => (Math.round(value * 100) / 100).toFixed(2);

/** The plan's bars of one asset for (a), lazily: a bounded wave around the asset's level. */
export function* barsOf(plan: BenchPlan, asset: string): Generator<BenchBar> {
  const level = levelOf(asset);
  let index = 0;
  for (const start of sessionMinutes(DateTime.fromJSDate(plan.window.from, { zone: 'UTC' }))) {
    if (start >= plan.window.to.getTime()) return;
    const close = level * (1 + 0.05 * Math.sin(index / 97) + 0.01 * Math.sin(index / 7));
    const open = level * (1 + 0.05 * Math.sin((index - 1) / 97) + 0.01 * Math.sin((index - 1) / 7));
    const high = Math.max(open, close) * 1.001;
    const low = Math.min(open, close) * 0.999;
    yield {
      ts: new Date(start),
      open: cents(open),
      high: cents(high),
      low: cents(low),
      close: cents(close),
      volume: 1000 + ((index * 7919) % 50_000),
    };
    index += 1;
  }
}

/** BENCH_POINTS, or the full million. */
export function pointsFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.BENCH_POINTS;
  if (text === undefined || text === '') return DEFAULT_POINTS;
  const points = Number(text);
  if (!Number.isInteger(points) || points < ASSET_COUNT) {
    throw new Error(`BENCH_POINTS must be a whole number >= ${ASSET_COUNT} (got "${text}")`);
  }
  return points;
}
