/**
 * What the ingest benchmark writes, shared by its phases: N one-minute synthetic bars for
 * each of 100 assets, from the same window, so every phase writes the same rows.
 */
import { bucketOf } from '@market/cassandra';
import { windowChunks } from '../../apps/ingestor/src/ingest/ingest.service';
import { validateBars } from '../../apps/ingestor/src/normalisation/bar-validator';
import type { ProviderBar } from '../../apps/ingestor/src/providers/price-provider.interface';
import {
  DEFAULT_SYNTHETIC_SEED,
  SyntheticProvider,
  generateSyntheticBars,
} from '../../apps/ingestor/src/providers/synthetic/synthetic.provider';

export const ASSET_COUNT = 100;
export const DEFAULT_POINTS = 1_000_000;
/** The first session of the window; ~26 trading days of minutes reach into September (two buckets). */
const WINDOW_START = new Date('2025-08-01T00:00:00.000Z');
const FAR_END = new Date('2026-12-31T00:00:00.000Z');

export interface BenchPlan {
  readonly assets: readonly string[];
  readonly pointsPerAsset: number;
  readonly totalPoints: number;
  /** `[from, to)` holding exactly `pointsPerAsset` one-minute bars of every asset. */
  readonly window: { readonly from: Date; readonly to: Date };
  /** The month buckets the window touches: every asset has one partition in each. */
  readonly buckets: readonly string[];
  readonly seed: string;
}

/** The plan for `totalPoints` (rounded down to a multiple of the asset count). */
export function benchPlan(totalPoints: number): BenchPlan {
  const pointsPerAsset = Math.max(1, Math.floor(totalPoints / ASSET_COUNT));
  const assets = Array.from({ length: ASSET_COUNT }, (_, index) => `BENCH${String(index).padStart(3, '0')}`);
  // The calendar (US sessions) is the same for every symbol: the last bar of any one ends the window.
  let last: ProviderBar | undefined;
  let count = 0;
  const buckets = new Set<string>();
  for (const bar of generateSyntheticBars(
    { seed: DEFAULT_SYNTHETIC_SEED, symbol: 'CALENDAR' },
    { from: WINDOW_START, to: FAR_END, interval: '1m' },
  )) {
    last = bar;
    buckets.add(bucketOf(bar.ts));
    count += 1;
    if (count === pointsPerAsset) break;
  }
  if (last === undefined) throw new Error('the synthetic calendar yielded no bar');
  return {
    assets,
    pointsPerAsset,
    totalPoints: pointsPerAsset * ASSET_COUNT,
    window: { from: WINDOW_START, to: new Date(last.ts.getTime() + 60_000) },
    buckets: [...buckets],
    seed: DEFAULT_SYNTHETIC_SEED,
  };
}

/** The plan's bars of one asset, lazily, as the synthetic provider generates them. */
export function barsOf(plan: BenchPlan, asset: string): Generator<ProviderBar> {
  return generateSyntheticBars({ seed: plan.seed, symbol: asset }, { ...plan.window, interval: '1m' });
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

/**
 * Bars per second of the ingestor's CPU work before the driver (the synthetic provider's
 * one-day requests, then validateBars) on the first `assetCount` assets: what (b) spends
 * on the Node side whatever Cassandra does.
 */
export async function generateAndValidateRate(plan: BenchPlan, assetCount = 10): Promise<{ rows: number; ms: number }> {
  const provider = new SyntheticProvider({ seed: plan.seed });
  const started = performance.now();
  let rows = 0;
  for (const asset of plan.assets.slice(0, assetCount)) {
    for (const chunk of windowChunks(plan.window, '1m')) {
      const bars = await provider.fetchBars({ symbol: asset, ...chunk, interval: '1m' });
      rows += validateBars(bars, new Date()).accepted.length;
    }
  }
  return { rows, ms: performance.now() - started };
}
