import Decimal from 'decimal.js';
import { DateTime } from 'luxon';
import type { AggregatedBar } from './bar-aggregation';
import type { DividendTerms, ExDate, SplitTerms } from './corporate-action';
import type { TimeZone } from './timeframe';

/**
 * Adjusted prices (SPEC §11): raw bars and raw corporate actions in, adjusted bars out,
 * each with the factor applied to its prices. Pure: the caller finds the actions and, for
 * each dividend, the raw close it divides by.
 *
 * The rounding rule, stated once (OpenAPI and README quote it):
 * - A bar's `adjustment_factor` is the product of the factors of the applied actions whose
 *   ex-date is after the bar (split N-for-D: D/N; cash dividend A: 1 − A/C, C the raw close
 *   of the last bar before the ex-date), computed exactly to 100 significant digits and
 *   rounded half-up to 20 significant digits.
 * - Each adjusted price is the raw price times that published factor, rounded half-up to 10
 *   decimal places (trailing zeros dropped); a factor of exactly 1 leaves the price as stored.
 * - Volume is adjusted for splits only: raw volume × N/D, exactly, rounded half-up to a whole
 *   number once per served bar. An aggregated bar (a timeframe, or a daily rollup) rounds the
 *   exact sum of its base bars' adjusted volumes, so it equals the aggregation of its adjusted
 *   base bars, prices digit for digit (rounding commutes with first/last/max/min under one
 *   positive factor per local day) and volume before its one rounding.
 */

export const ADJUSTMENTS = ['raw', 'split', 'dividend', 'all'] as const;
export type Adjustment = (typeof ADJUSTMENTS)[number];

export function isAdjustment(text: string): text is Adjustment {
  return (ADJUSTMENTS as readonly string[]).includes(text);
}

/** The digits of the rule above. */
export const ADJUSTMENT_ROUNDING = { workingDigits: 100, factorDigits: 20, priceDecimalPlaces: 10 } as const;

const Exact = Decimal.clone({
  precision: ADJUSTMENT_ROUNDING.workingDigits,
  rounding: Decimal.ROUND_HALF_UP,
  toExpNeg: -1000,
  toExpPos: 1000,
});
type Exact = InstanceType<typeof Exact>;

/** An action to apply: its terms and ex-date, and for a dividend the raw close before its ex-date (null: none stored). */
export type ActionToApply = (SplitTerms | (DividendTerms & { readonly referenceClose: string | null })) & {
  readonly exDate: ExDate;
};

/** The first instant of an ex-date in the series' zone: bars before it are adjusted by the action. */
export function exDateStartMs(exDate: ExDate, zone: TimeZone): number {
  const start = DateTime.fromISO(exDate, { zone: zone.zone });
  if (!start.isValid) throw new RangeError(`not an ex-date: "${exDate}"`);
  return start.toMillis();
}

/** The adjustment of every bar between two consecutive ex-dates. */
interface SegmentFactor {
  readonly price: Exact;
  readonly priceText: string;
  readonly isOne: boolean;
  /** Split volume ratio N/D as whole numbers. */
  readonly volumeNumerator: bigint;
  readonly volumeDenominator: bigint;
  /** N/D expressed over the schedule's common denominator: the multiplier of an aggregation piece's volume. */
  readonly volumeScaled: bigint;
}

/** A bar's prices and volume after adjustment, with the factor applied to its prices. */
export interface AdjustedValues {
  readonly open: string | null;
  readonly high: string | null;
  readonly low: string | null;
  readonly close: string;
  readonly volume: bigint | null;
  readonly factor: string;
}

const ONE = new Exact(1);

/**
 * The adjustment of one series for one read: which factor applies at which instant. Built
 * once per page from the series' actions; adjusting a bar is a binary search and a few
 * decimal multiplications.
 */
export class PriceAdjustment {
  private constructor(
    /** Ex-date starts, ascending; segment i covers [cuts[i-1], cuts[i]). */
    private readonly cuts: readonly number[],
    private readonly factors: readonly SegmentFactor[],
    /** The common denominator of every segment's volume ratio. */
    private readonly volumeDenominator: bigint,
  ) {}

  /**
   * The schedule of `actions` under `adjustment`: splits, dividends or both, those with an
   * ex-date starting on or before `asofMs` only. A dividend without a reference close (no
   * bar before it) or not below it adjusts nothing: no stored bar precedes it sensibly.
   */
  static of(
    actions: readonly ActionToApply[],
    adjustment: Adjustment,
    asofMs: number,
    zone: TimeZone,
  ): PriceAdjustment {
    const byCut = new Map<number, ActionToApply[]>();
    for (const action of actions) {
      if (!applies(action, adjustment)) continue;
      const cut = exDateStartMs(action.exDate, zone);
      if (cut > asofMs) continue;
      byCut.set(cut, [...(byCut.get(cut) ?? []), action]);
    }
    const cuts = [...byCut.keys()].sort((left, right) => left - right);
    let price = ONE;
    let numerator = 1n;
    let denominator = 1n;
    const raw: Array<{ price: Exact; numerator: bigint; denominator: bigint }> = [{ price, numerator, denominator }];
    for (const cut of [...cuts].reverse()) {
      const day = byCut.get(cut) ?? [];
      for (const action of day) {
        if (action.type === 'split') {
          price = price.times(new Exact(action.denominator).dividedBy(action.numerator));
          numerator *= BigInt(action.numerator);
          denominator *= BigInt(action.denominator);
        }
      }
      for (const action of day) {
        if (action.type === 'dividend') price = price.times(dividendFactor(action, day));
      }
      raw.unshift({ price, numerator, denominator });
    }
    const common = denominator;
    const factors = raw.map((segment): SegmentFactor => {
      const published = segment.price.toSignificantDigits(ADJUSTMENT_ROUNDING.factorDigits, Decimal.ROUND_HALF_UP);
      return {
        price: published,
        priceText: published.toFixed(),
        isOne: published.equals(ONE),
        volumeNumerator: segment.numerator,
        volumeDenominator: segment.denominator,
        volumeScaled: (segment.numerator * common) / segment.denominator,
      };
    });
    return new PriceAdjustment(cuts, factors, common);
  }

  /** True when no action applies: every bar reads as stored (factor 1). */
  get isIdentity(): boolean {
    return this.cuts.length === 0;
  }

  /** The published factor of a bar starting at `ts`. */
  factorAt(ts: number): string {
    return this.segmentAt(ts).priceText;
  }

  /** A stored bar (ts in ms) adjusted: prices by the factor, volume by the split ratio, rounded once. */
  adjustBar(
    ts: number,
    bar: {
      readonly open: string | null;
      readonly high: string | null;
      readonly low: string | null;
      readonly close: string;
      readonly volume: number | bigint | null;
    },
  ): AdjustedValues {
    const segment = this.segmentAt(ts);
    return {
      open: bar.open === null ? null : adjustPrice(bar.open, segment),
      high: bar.high === null ? null : adjustPrice(bar.high, segment),
      low: bar.low === null ? null : adjustPrice(bar.low, segment),
      close: adjustPrice(bar.close, segment),
      volume:
        bar.volume === null
          ? null
          : roundHalfUpDivide(BigInt(bar.volume) * segment.volumeNumerator, segment.volumeDenominator),
      factor: segment.priceText,
    };
  }

  /**
   * A piece of an aggregation (one base bar, or one day's rollup) whose base bars start at
   * or after `at` and before the next ex-date: prices adjusted, volume scaled exactly (in
   * units of 1/the common denominator) so that pieces add up exactly; finishBar rounds.
   */
  adjustPiece(piece: AggregatedBar, at: number): AggregatedBar {
    const segment = this.segmentAt(at);
    return {
      ...piece,
      open: adjustPrice(piece.open, segment),
      high: adjustPrice(piece.high, segment),
      low: adjustPrice(piece.low, segment),
      close: adjustPrice(piece.close, segment),
      volume: piece.volume === null ? null : piece.volume * segment.volumeScaled,
    };
  }

  /**
   * An aggregated bar of adjusted pieces, [ts, end), as served: its volume rounded once,
   * and its factor, or null when an ex-date falls inside it (its prices then carry the
   * factors of their own days).
   */
  finishBar<T extends AggregatedBar & { readonly end: number }>(
    bar: T,
  ): T & { readonly adjustmentFactor: string | null } {
    const spans = this.cuts.some((cut) => cut > bar.ts && cut < bar.end);
    return {
      ...bar,
      volume: bar.volume === null ? null : roundHalfUpDivide(bar.volume, this.volumeDenominator),
      adjustmentFactor: spans ? null : this.factorAt(bar.ts),
    };
  }

  private segmentAt(ts: number): SegmentFactor {
    let low = 0;
    let high = this.cuts.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.cuts[middle] ?? Infinity) <= ts) low = middle + 1;
      else high = middle;
    }
    const segment = this.factors[low];
    if (segment === undefined) throw new RangeError('adjustment schedule without a segment');
    return segment;
  }
}

function applies(action: ActionToApply, adjustment: Adjustment): boolean {
  switch (adjustment) {
    case 'raw':
      return false;
    case 'split':
      return action.type === 'split';
    case 'dividend':
      return action.type === 'dividend';
    case 'all':
      return true;
  }
}

/**
 * 1 − A/C. The dividend is per share as of its ex-date, so a split on the same day puts C
 * (a pre-split close) on the post-split basis first: C × D/N.
 */
function dividendFactor(
  dividend: DividendTerms & { readonly referenceClose: string | null },
  day: readonly ActionToApply[],
): Exact {
  if (dividend.referenceClose === null) return ONE;
  let close = new Exact(dividend.referenceClose);
  for (const action of day) {
    if (action.type === 'split') close = close.times(action.denominator).dividedBy(action.numerator);
  }
  const amount = new Exact(dividend.amount);
  if (!close.isPositive() || amount.greaterThanOrEqualTo(close)) return ONE;
  return ONE.minus(amount.dividedBy(close));
}

function adjustPrice(raw: string, segment: SegmentFactor): string {
  if (segment.isOne) return raw;
  return new Exact(raw)
    .times(segment.price)
    .toDecimalPlaces(ADJUSTMENT_ROUNDING.priceDecimalPlaces, Decimal.ROUND_HALF_UP)
    .toFixed();
}

/** round(n / d) half-up, for n ≥ 0 and d > 0. */
function roundHalfUpDivide(numerator: bigint, denominator: bigint): bigint {
  return (2n * numerator + denominator) / (2n * denominator);
}
