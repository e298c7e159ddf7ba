import { types } from 'cassandra-driver';
import { decimalText } from './decimal';

/** Which time-series table a series lives in. */
export type SeriesKind = 'asset' | 'commodity';

/**
 * One bar of a series as stored. `price` is the close; open/high/low are null for sources
 * with a single value per point. Decimals are exact strings.
 */
export interface PricePoint {
  readonly ts: Date;
  readonly price: string;
  readonly open: string | null;
  readonly high: string | null;
  readonly low: string | null;
  readonly volume: number | null;
  readonly sourceId: string | null;
}

function optionalDecimal(value: unknown): string | null {
  return value instanceof types.BigDecimal ? decimalText(value) : null;
}

/** bigint volumes come back as driver Longs; every volume we accept is a safe integer. */
function optionalVolume(value: unknown): number | null {
  if (!(value instanceof types.Long)) return null;
  const volume = value.toNumber();
  if (!Number.isSafeInteger(volume)) throw new RangeError(`volume ${value.toString()} exceeds 2^53`);
  return volume;
}

/** Maps a time-series row (ts, price, open, high, low, volume, source_id) to a PricePoint. */
export function pricePointFromRow(row: types.Row): PricePoint {
  const ts: unknown = row.get('ts');
  const price: unknown = row.get('price');
  if (!(ts instanceof Date) || !(price instanceof types.BigDecimal)) {
    throw new TypeError('time-series row without ts or price');
  }
  const sourceId: unknown = row.get('source_id');
  return {
    ts,
    price: decimalText(price),
    open: optionalDecimal(row.get('open')),
    high: optionalDecimal(row.get('high')),
    low: optionalDecimal(row.get('low')),
    volume: optionalVolume(row.get('volume')),
    sourceId: typeof sourceId === 'string' ? sourceId : null,
  };
}
