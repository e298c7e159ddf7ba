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

/** The order of the current quote: what a new offer is compared with. */
const GET_ORDER: CqlStatement = {
  name: 'latest_quote_by_asset.get_order',
  cql: 'SELECT ts, source_id FROM {{keyspace}}.latest_quote_by_asset WHERE asset_id = ?',
  kind: 'read',
  idempotent: true,
};

const INSERT_FIRST: CqlStatement = {
  name: 'latest_quote_by_asset.insert_first',
  cql: 'INSERT INTO {{keyspace}}.latest_quote_by_asset (ts, price, open, high, low, volume, bucket, source_id, asset_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) IF NOT EXISTS',
  kind: 'write',
  idempotent: false,
};

/** Compare-and-set: replaces the quote only if it is still the one the offer was compared with. */
const REPLACE_IF_UNCHANGED: CqlStatement = {
  name: 'latest_quote_by_asset.replace_if_unchanged',
  cql:
    'UPDATE {{keyspace}}.latest_quote_by_asset SET ts = ?, price = ?, open = ?, high = ?, low = ?, volume = ?, bucket = ?, source_id = ? ' +
    'WHERE asset_id = ? IF ts = ? AND source_id = ?',
  kind: 'write',
  idempotent: false,
};

/** Rounds of compare-and-set before an offer gives up: each lost round means another writer moved the quote on. */
const MAX_OFFER_ROUNDS = 8;

/**
 * 0–999, stable per source (FNV-1a of its id): breaks a tie between two sources quoting the
 * same millisecond, so every replica and every writer agrees which one is the latest.
 */
export function sourceRank(sourceId: string): number {
  let hash = 0x811c9dc5;
  for (const char of sourceId) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % 1000;
}

/**
 * The order key of a quote: its ts in microseconds plus its source rank (CQL timestamps hold
 * milliseconds, so the microseconds are free). The latest quote has the largest key; among
 * equal keys, the one written last. Rows written before compare-and-set carry this key as
 * their write timestamp (docs/security.md).
 */
export function quoteOrderKey(ts: Date, sourceId: string | null): number {
  return ts.getTime() * 1000 + (sourceId === null ? -1 : sourceRank(sourceId));
}

/** What the current quote is, as far as ordering goes: null when the series has none yet. */
interface CurrentOrder {
  readonly ts: Date | null;
  readonly sourceId: string | null;
}

function currentOrderOf(row: types.Row | null): CurrentOrder | null {
  if (row === null) return null;
  const ts: unknown = row.get('ts');
  const sourceId: unknown = row.get('source_id');
  return { ts: ts instanceof Date ? ts : null, sourceId: typeof sourceId === 'string' ? sourceId : null };
}

/** True when `point` must replace `current`: a larger key, or the same key written again (a correction). */
function supersedes(point: PricePointInput, current: CurrentOrder): boolean {
  if (current.ts === null) return true;
  return quoteOrderKey(point.ts, point.sourceId) >= quoteOrderKey(current.ts, current.sourceId);
}

/** All CQL of `latest_quote_by_asset`: the latest quote is one single-row read, never a scan. */
@Injectable()
export class QuoteRepository {
  constructor(private readonly session: CassandraSession) {}

  /**
   * Offers a quote as the latest of a series (asset or commodity id). It replaces the
   * current quote when its order key (ts, source rank) is larger or equal (a correction of
   * the same bar wins), by a lightweight transaction conditional on the quote it was
   * compared with: concurrent writers are serialised by Paxos, every column is written in
   * the same mutation, so the row is always one whole bar that was offered, and a late,
   * older bar never replaces a newer one. An older bar costs one read and no transaction.
   */
  async offerLatest(seriesId: string, point: PricePointInput): Promise<void> {
    // Decimals as protocol bytes, ts and volume as they are, as every other write of a price
    // (time-series.repository.ts says why). Absent columns are null: here a deletion is meant.
    const decimal = (value: string | null | undefined) =>
      value === null || value === undefined ? null : decimalBytes(value);
    const values = [
      point.ts,
      decimalBytes(point.price),
      decimal(point.open),
      decimal(point.high),
      decimal(point.low),
      point.volume ?? null,
      bucketOf(point.ts),
      point.sourceId,
      seriesId,
    ];
    let current = currentOrderOf((await this.session.execute(GET_ORDER, [seriesId])).first());
    for (let round = 0; round < MAX_OFFER_ROUNDS; round += 1) {
      if (current !== null && !supersedes(point, current)) return;
      const result =
        current === null
          ? await this.session.execute(INSERT_FIRST, values)
          : await this.session.execute(REPLACE_IF_UNCHANGED, [...values, current.ts, current.sourceId]);
      if (result.wasApplied()) return;
      // Another writer got there first: the result holds the quote it left, compare with that.
      current = currentOrderOf(result.first());
    }
    throw new Error(
      `latest quote of ${seriesId}: still contended after ${MAX_OFFER_ROUNDS} compare-and-set rounds; offer it again`,
    );
  }

  async latest(assetId: string): Promise<PricePoint | null> {
    const row = (await this.session.execute(GET_LATEST, [assetId])).first() as types.Row | null;
    return row === null ? null : pricePointFromRow(row);
  }
}
