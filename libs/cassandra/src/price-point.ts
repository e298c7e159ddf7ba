import type { types } from 'cassandra-driver';
import type { BaseBar, SeriesKind } from '@market/domain';
import { decimalTextOf, safeIntegerOf } from './wire-values';

/** Which time-series table a series lives in: the domain's series kind, re-exported for the repositories' callers. */
export type { SeriesKind };

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

/**
 * The select list of a price row. Decimals and the volume come as their protocol bytes
 * (wire-values.ts says why) under their own names, so a row reads like the table.
 */
export const PRICE_POINT_COLUMNS =
  'ts, decimalAsBlob(price) AS price, decimalAsBlob(open) AS open, decimalAsBlob(high) AS high, ' +
  'decimalAsBlob(low) AS low, bigintAsBlob(volume) AS volume, source_id';

function optionalDecimal(value: unknown): string | null {
  return Buffer.isBuffer(value) ? decimalTextOf(value) : null;
}

/** Every volume we accept is a safe integer; a larger one written by another tool throws. */
function optionalVolume(value: unknown): number | null {
  return Buffer.isBuffer(value) ? safeIntegerOf(value) : null;
}

/** Maps a row selected with PRICE_POINT_COLUMNS to a PricePoint. */
export function pricePointFromRow(row: types.Row): PricePoint {
  const ts: unknown = row.get('ts');
  const price: unknown = row.get('price');
  if (!(ts instanceof Date) || !Buffer.isBuffer(price)) {
    throw new TypeError('time-series row without ts or price');
  }
  const sourceId: unknown = row.get('source_id');
  return {
    ts,
    price: decimalTextOf(price),
    open: optionalDecimal(row.get('open')),
    high: optionalDecimal(row.get('high')),
    low: optionalDecimal(row.get('low')),
    volume: optionalVolume(row.get('volume')),
    sourceId: typeof sourceId === 'string' ? sourceId : null,
  };
}

/** A stored bar as the aggregation reads it: the close under its own name, ts in milliseconds. */
export function baseBarOf(point: PricePoint): BaseBar {
  return {
    ts: point.ts.getTime(),
    open: point.open,
    high: point.high,
    low: point.low,
    close: point.price,
    volume: point.volume,
  };
}
