import type { PricePoint } from '@market/cassandra';
import type { ServedBar } from '../time-series.service';
import type { AdjustedPricePoint } from '../../adjustments/adjusted-page';
import { isoInstant } from './iso-instant';
import type { PricePointDto } from './price-page.dto';

/** The JSON form of a bar: ts as ISO-8601 UTC with milliseconds, decimals as exact strings. */
export function pricePointDto(point: PricePoint | AdjustedPricePoint): PricePointDto {
  return {
    ts: isoInstant(point.ts),
    price: point.price,
    open: point.open,
    high: point.high,
    low: point.low,
    volume: point.volume,
    source_id: point.sourceId,
    ...('adjustmentFactor' in point ? { adjustment_factor: point.adjustmentFactor } : {}),
  };
}

/**
 * The JSON form of an aggregated bar: `price` is its close; `source_id` is null (the bar may
 * mix sources). A volume sum beyond 2^53 loses precision as a JSON number.
 */
export function aggregatedBarDto(bar: ServedBar): PricePointDto {
  return {
    ts: isoInstant(new Date(bar.ts)),
    price: bar.close,
    open: bar.open,
    high: bar.high,
    low: bar.low,
    volume: bar.volume === null ? null : Number(bar.volume),
    source_id: null,
    bar_count: bar.barCount,
    complete: bar.complete,
    ...(bar.adjustmentFactor === undefined ? {} : { adjustment_factor: bar.adjustmentFactor }),
  };
}
