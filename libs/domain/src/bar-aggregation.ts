import { compareDecimals } from './decimal-text';

/**
 * One stored bar as aggregation reads it. `close` is the series' price; open/high/low are
 * null for sources with one value per point (the close stands in for them). Decimals are
 * plain decimal text; volume is a whole number.
 */
export interface BaseBar {
  /** The bar's start, epoch milliseconds. */
  readonly ts: number;
  readonly open: string | null;
  readonly high: string | null;
  readonly low: string | null;
  readonly close: string;
  readonly volume: number | bigint | null;
}

/** A bar built from `barCount` base bars (SPEC §10); `ts` is its start as UTC epoch ms. */
export interface AggregatedBar {
  readonly ts: number;
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
  /** Sum of the base volumes; null when every base volume is null. */
  readonly volume: bigint | null;
  readonly barCount: number;
}

/** One base bar as an aggregate of itself (nulls replaced by its close). */
export function aggregateOfBar(bar: BaseBar, ts: number = bar.ts): AggregatedBar {
  return {
    ts,
    open: bar.open ?? bar.close,
    high: bar.high ?? bar.close,
    low: bar.low ?? bar.close,
    close: bar.close,
    volume: bar.volume === null ? null : BigInt(bar.volume),
    barCount: 1,
  };
}

/**
 * Merges two aggregates, `earlier` before `later` in time, into one starting at `earlier.ts`:
 * the fold that builds a week or a month from daily bars as well as a bar from base bars.
 */
export function mergeAggregatedBars(earlier: AggregatedBar, later: AggregatedBar): AggregatedBar {
  return {
    ts: earlier.ts,
    open: earlier.open,
    high: compareDecimals(later.high, earlier.high) > 0 ? later.high : earlier.high,
    low: compareDecimals(later.low, earlier.low) < 0 ? later.low : earlier.low,
    close: later.close,
    volume:
      earlier.volume === null ? later.volume : later.volume === null ? earlier.volume : earlier.volume + later.volume,
    barCount: earlier.barCount + later.barCount,
  };
}

/**
 * Folds aggregates given in ascending time order into one bar starting at `ts`; null for
 * none. Exact: decimals compare as text, volumes add as BigInt.
 */
export function foldAggregatedBars(ts: number, bars: Iterable<AggregatedBar>): AggregatedBar | null {
  let folded: AggregatedBar | null = null;
  for (const bar of bars) folded = folded === null ? { ...bar, ts } : mergeAggregatedBars(folded, bar);
  return folded;
}

/** Aggregates base bars given in ascending time order into one bar starting at `ts`; null for none. */
export function aggregateBars(ts: number, bars: Iterable<BaseBar>): AggregatedBar | null {
  let folded: AggregatedBar | null = null;
  for (const bar of bars) {
    const single = aggregateOfBar(bar, ts);
    folded = folded === null ? single : mergeAggregatedBars(folded, single);
  }
  return folded;
}
