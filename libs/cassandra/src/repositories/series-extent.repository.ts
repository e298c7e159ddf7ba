import { Injectable } from '@nestjs/common';
import { types } from 'cassandra-driver';
import { type CqlStatement, CassandraSession } from '../cassandra.session';
import type { SeriesKind } from '../price-point';

/** The first and last bar of a series that the series writer has recorded; both inclusive. */
export interface SeriesExtent {
  readonly first: Date;
  readonly last: Date;
}

const GET_EXTENT: CqlStatement = {
  name: 'series_extent.get',
  cql: 'SELECT first_ts, last_ts FROM {{keyspace}}.series_extent WHERE series_kind = ? AND series_id = ?',
  kind: 'read',
  idempotent: true,
};

/** Each cell on its own: one statement may carry one write timestamp. */
const WIDEN_FIRST: CqlStatement = {
  name: 'series_extent.widen_first',
  cql: 'UPDATE {{keyspace}}.series_extent USING TIMESTAMP ? SET first_ts = ? WHERE series_kind = ? AND series_id = ?',
  kind: 'write',
  idempotent: true,
};

const WIDEN_LAST: CqlStatement = {
  name: 'series_extent.widen_last',
  cql: 'UPDATE {{keyspace}}.series_extent USING TIMESTAMP ? SET last_ts = ? WHERE series_kind = ? AND series_id = ?',
  kind: 'write',
  idempotent: true,
};

/**
 * Write timestamps (µs) that make the extent's cells monotone. Cassandra keeps, per cell,
 * the value written with the highest write timestamp. last_ts is written at OFFSET + its
 * own µs, so a later bar always wins; first_ts at 2·OFFSET − its own µs, so an earlier bar
 * always wins. Any order of writes, retries and concurrent writers converges on the widest
 * extent; equal values carry equal timestamps, so a tie is a repeat. OFFSET (2^60 µs) keeps
 * both positive for every ts of years 1–9999 (±2.6·10^17 µs) and apart from each other and
 * from Long.MIN_VALUE (Cassandra's "no timestamp"). Exact in 64-bit Long arithmetic.
 */
const OFFSET = types.Long.fromNumber(2 ** 60);

/** The write timestamp of a last_ts cell: rises with the value. */
export function lastTsWriteTimestamp(last: Date): types.Long {
  return OFFSET.add(types.Long.fromNumber(last.getTime()).multiply(1000));
}

/** The write timestamp of a first_ts cell: falls as the value rises. */
export function firstTsWriteTimestamp(first: Date): types.Long {
  return OFFSET.multiply(2).subtract(types.Long.fromNumber(first.getTime()).multiply(1000));
}

/** All CQL of `series_extent`: where each series' bars begin and end. */
@Injectable()
export class SeriesExtentRepository {
  constructor(private readonly session: CassandraSession) {}

  /** The recorded extent; null for a series never written through the series writer (nor back-filled). */
  async get(kind: SeriesKind, seriesId: string): Promise<SeriesExtent | null> {
    const row = (await this.session.execute(GET_EXTENT, [kind, seriesId])).first() as types.Row | null;
    const first: unknown = row?.get('first_ts');
    const last: unknown = row?.get('last_ts');
    // Both cells are written before any bar: one without the other is a write still under way.
    return first instanceof Date && last instanceof Date ? { first, last } : null;
  }

  /** Widens the extent to cover [first, last]; never narrows it, in any order of calls. */
  async widen(kind: SeriesKind, seriesId: string, first: Date, last: Date): Promise<void> {
    await Promise.all([
      this.session.execute(WIDEN_FIRST, [firstTsWriteTimestamp(first), first, kind, seriesId]),
      this.session.execute(WIDEN_LAST, [lastTsWriteTimestamp(last), last, kind, seriesId]),
    ]);
  }
}
