import type { PricePoint } from '@market/cassandra';
import { isoInstant } from './iso-instant';
import type { PricePointDto } from './price-page.dto';

/** The JSON form of a bar: ts as ISO-8601 UTC with milliseconds, decimals as exact strings. */
export function pricePointDto(point: PricePoint): PricePointDto {
  return {
    ts: isoInstant(point.ts),
    price: point.price,
    open: point.open,
    high: point.high,
    low: point.low,
    volume: point.volume,
    source_id: point.sourceId,
  };
}
