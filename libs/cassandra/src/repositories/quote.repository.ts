import { Injectable } from '@nestjs/common';
import type { types } from 'cassandra-driver';
import { type CqlStatement, CassandraSession } from '../cassandra.session';
import { bucketOf } from '../buckets';
import { PRICE_POINT_COLUMNS, type PricePoint, pricePointFromRow } from '../price-point';
import type { PricePointInput } from './time-series.repository';
import { decimalBytes } from '../wire-values';

const GET_LATEST: CqlStatement = {
  name: 'latest_quote_by_asset.get',
  cql: `SELECT ${PRICE_POINT_COLUMNS} FROM {{keyspace}}.latest_quote_by_asset WHERE asset_id = ?`,
  kind: 'read',
  idempotent: true,
};

const UPSERT_LATEST: CqlStatement = {
  name: 'latest_quote_by_asset.upsert',
  cql: 'INSERT INTO {{keyspace}}.latest_quote_by_asset (asset_id, ts, price, open, high, low, volume, bucket, source_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  kind: 'write',
  idempotent: true,
};

/**
 * 0–999, stable per source: the microseconds of a quote's write timestamp (CQL timestamps
 * hold milliseconds, so the microseconds are free). Two sources quoting the same millisecond
 * then never tie: the higher rank wins every cell of the row.
 */
export function sourceRank(sourceId: string): number {
  let hash = 0x811c9dc5;
  for (const char of sourceId) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % 1000;
}

/** The write timestamp (µs) of a quote: its own ts, so Cassandra keeps the newest whatever the arrival order. */
export function quoteWriteTimestamp(ts: Date, sourceId: string): number {
  return ts.getTime() * 1000 + sourceRank(sourceId);
}

/** All CQL of `latest_quote_by_asset`: the latest quote is one single-row read, never a scan. */
@Injectable()
export class QuoteRepository {
  constructor(private readonly session: CassandraSession) {}

  /**
   * Offers a quote as the latest of a series (asset or commodity id). Written with the
   * quote's own time as write timestamp, Cassandra keeps the newest cell whatever the
   * arrival order: a backfill of older data never moves the latest quote backwards, and no
   * read-before-write is needed. Every column is written, absent ones as null (here a
   * deletion is meant), so the row never mixes two quotes.
   */
  async offerLatest(seriesId: string, point: PricePointInput): Promise<void> {
    // Decimals as protocol bytes, ts and volume as they are, as every other write of a price
    // (time-series.repository.ts says why).
    const decimal = (value: string | null | undefined) =>
      value === null || value === undefined ? null : decimalBytes(value);
    await this.session.execute(
      UPSERT_LATEST,
      [
        seriesId,
        point.ts,
        decimalBytes(point.price),
        decimal(point.open),
        decimal(point.high),
        decimal(point.low),
        point.volume ?? null,
        bucketOf(point.ts),
        point.sourceId,
      ],
      { timestamp: quoteWriteTimestamp(point.ts, point.sourceId) },
    );
  }

  async latest(assetId: string): Promise<PricePoint | null> {
    const row = (await this.session.execute(GET_LATEST, [assetId])).first() as types.Row | null;
    return row === null ? null : pricePointFromRow(row);
  }
}
