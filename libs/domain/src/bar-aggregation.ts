import { compareDecimals, comparePlainDecimals, isPlainDecimal } from './decimal-text';

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

/**
 * One aggregated bar built in place, a base bar at a time, by the rules of aggregateOfBar and
 * mergeAggregatedBars (the same result as aggregateBars, property-tested), for the read path's
 * thousands of rows per page: no object per row, each decimal checked once, volumes summed as
 * numbers while they stay safe integers. Base bars come in one direction: `addLater` for an
 * oldest-first walk, `addEarlier` for a newest-first one.
 */
export class AggregatedBarBuilder {
  private open: string;
  private high: string;
  private low: string;
  private close: string;
  private volume: number | bigint | null;
  private barCount = 1;

  constructor(
    readonly ts: number,
    bar: BaseBar,
  ) {
    this.close = plain(bar.close);
    this.open = bar.open === null ? this.close : plain(bar.open);
    this.high = bar.high === null ? this.close : plain(bar.high);
    this.low = bar.low === null ? this.close : plain(bar.low);
    this.volume = bar.volume;
  }

  /** Adds a base bar later than every one so far. */
  addLater(bar: BaseBar): void {
    this.close = this.widen(bar, false);
  }

  /** Adds a base bar earlier than every one so far. */
  addEarlier(bar: BaseBar): void {
    const close = this.widen(bar, true);
    this.open = bar.open === null ? close : plain(bar.open);
  }

  build(): AggregatedBar {
    return {
      ts: this.ts,
      open: this.open,
      high: this.high,
      low: this.low,
      close: this.close,
      volume: this.volume === null ? null : BigInt(this.volume),
      barCount: this.barCount,
    };
  }

  /**
   * Takes the bar's high, low and volume in; returns its (checked) close. On a tie the earlier
   * bar's spelling wins ("189.1" against "189.10"), as in mergeAggregatedBars.
   */
  private widen(bar: BaseBar, isEarlier: boolean): string {
    const close = plain(bar.close);
    const high = bar.high === null ? close : plain(bar.high);
    const low = bar.low === null ? close : plain(bar.low);
    const tie = isEarlier ? 0 : 1;
    if (comparePlainDecimals(high, this.high) >= tie) this.high = high;
    if (comparePlainDecimals(low, this.low) <= -tie) this.low = low;
    const volume = bar.volume;
    if (volume !== null) {
      const sum = this.volume;
      this.volume =
        sum === null
          ? volume
          : typeof sum === 'number' && typeof volume === 'number' && Number.isSafeInteger(sum + volume)
            ? sum + volume
            : BigInt(sum) + BigInt(volume);
    }
    this.barCount += 1;
    return close;
  }
}

/** The text, once checked to be a plain decimal (compareDecimals' own check and error). */
function plain(text: string): string {
  if (!isPlainDecimal(text)) throw new RangeError(`not a plain decimal number: "${text}"`);
  return text;
}
