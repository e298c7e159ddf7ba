import type { PricePoint } from '@market/cassandra';
import { type Adjustment, type PriceAdjustment, isAdjustment, parseIsoInstant } from '@market/domain';
import { InvalidQueryError } from '../errors/api-errors';

/**
 * The adjustment a range read asks for, and the transforms that apply it to a page. Any
 * route that serves bars of one series calls these (docs/adjustments.md says how):
 * - raw bars: `adjustPricePoints(page.points, adjustment)`;
 * - aggregated bars: pass the adjustment to the bar source (`BarPageRequest.adjustment`,
 *   which adjusts each base bar or daily rollup before the fold), then
 *   `finishAdjustedBars(page.bars, adjustment)` once on the page.
 */

/** An adjusted read: which actions, as of when (null: the client left it to now, or to its page token). */
export interface AdjustmentParameters {
  readonly adjustment: Exclude<Adjustment, 'raw'>;
  readonly asof: number | null;
}

/** The parameters of a read; null for `raw` (or none), which reads exactly as before adjustments existed. */
export function adjustmentParameters(adjustment?: string, asof?: string): AdjustmentParameters | null {
  if (adjustment !== undefined && !isAdjustment(adjustment)) {
    throw new InvalidQueryError(
      'adjustment',
      `adjustment "${adjustment.slice(0, 16)}" is not one of raw, split, dividend, all`,
    );
  }
  if (adjustment === undefined || adjustment === 'raw') {
    if (asof !== undefined) {
      throw new InvalidQueryError('adjustment_asof', 'adjustment_asof needs adjustment=split, dividend or all');
    }
    return null;
  }
  if (asof === undefined) return { adjustment, asof: null };
  const parsed = parseIsoInstant(asof, 'end-of-day');
  if (!parsed.ok) {
    throw new InvalidQueryError('adjustment_asof', `'adjustment_asof' ${parsed.why} (got "${asof.slice(0, 64)}")`);
  }
  return { adjustment, asof: parsed.instant.getTime() };
}

/** What a page token is bound to: nothing for a raw read, so raw tokens are as before. */
export function adjustmentToCheck(parameters: AdjustmentParameters | null): {
  readonly adjustment?: string;
  readonly asof?: number | null;
} {
  return parameters === null ? {} : { adjustment: parameters.adjustment, asof: parameters.asof };
}

/** The adjustment a page applies; its fields are also what the page's token is bound to. */
export interface AppliedAdjustment {
  readonly adjustment: Exclude<Adjustment, 'raw'>;
  /** Epoch ms: as sent, else the instant the first page fixed (its token), else now. */
  readonly asof: number;
}

/** The adjustment of this page, null for a raw read. */
export function appliedAdjustment(
  parameters: AdjustmentParameters | null,
  resumed: { readonly asof?: number } | null,
  now: Date,
): AppliedAdjustment | null {
  if (parameters === null) return null;
  return { adjustment: parameters.adjustment, asof: parameters.asof ?? resumed?.asof ?? now.getTime() };
}

/** A stored bar as served by an adjusted read: prices and volume adjusted, with the factor applied. */
export type AdjustedPricePoint = PricePoint & { readonly adjustmentFactor?: string };

/** A page of stored bars adjusted, in one call. */
export function adjustPricePoints(points: readonly PricePoint[], adjustment: PriceAdjustment): AdjustedPricePoint[] {
  return points.map((point) => {
    const adjusted = adjustment.adjustBar(point.ts.getTime(), {
      open: point.open,
      high: point.high,
      low: point.low,
      close: point.price,
      volume: point.volume,
    });
    return {
      ...point,
      price: adjusted.close,
      open: adjusted.open,
      high: adjusted.high,
      low: adjusted.low,
      volume: adjusted.volume === null ? null : Number(adjusted.volume),
      adjustmentFactor: adjusted.factor,
    };
  });
}

/** A page of aggregated bars built from adjusted pieces, finished (volume rounded once, factor per bar), in one call. */
export function finishAdjustedBars<T extends Parameters<PriceAdjustment['finishBar']>[0]>(
  bars: readonly T[],
  adjustment: PriceAdjustment,
): Array<T & { readonly adjustmentFactor: string | null }> {
  return bars.map((bar) => adjustment.finishBar(bar));
}
