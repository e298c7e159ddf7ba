import { Injectable } from '@nestjs/common';
import { types } from 'cassandra-driver';
import { type Bucket, type BucketSlice, bucketOf } from '../buckets';
import { type CqlStatement, CassandraSession } from '../cassandra.session';
import { toBigDecimal } from '../decimal';
import { pagingOptions, unsetIfAbsent } from './bind-values';
import { type PricePoint, type SeriesKind, pricePointFromRow } from '../price-point';

const TABLES: Record<SeriesKind, { table: string; idColumn: string }> = {
  asset: { table: 'asset_timeseries', idColumn: 'asset_id' },
  commodity: { table: 'commodity_timeseries', idColumn: 'commodity_id' },
};

const COLUMNS = 'ts, price, open, high, low, volume, source_id';

function statementsFor(kind: SeriesKind) {
  const { table, idColumn } = TABLES[kind];
  const slice = `SELECT ${COLUMNS} FROM ${table} WHERE ${idColumn} = ? AND bucket = ? AND ts >= ? AND ts <= ?`;
  return {
    insert: {
      name: `${table}.insert`,
      cql: `INSERT INTO ${table} (${idColumn}, bucket, ts, price, open, high, low, volume, source_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      kind: 'write',
      idempotent: true,
    },
    selectSliceAsc: {
      name: `${table}.select_slice_asc`,
      cql: `${slice} ORDER BY ts ASC`,
      kind: 'read',
      idempotent: true,
    },
    selectSliceDesc: {
      name: `${table}.select_slice_desc`,
      cql: `${slice} ORDER BY ts DESC`,
      kind: 'read',
      idempotent: true,
    },
  } satisfies Record<string, CqlStatement>;
}

const STATEMENTS: Record<SeriesKind, ReturnType<typeof statementsFor>> = {
  asset: statementsFor('asset'),
  commodity: statementsFor('commodity'),
};

function optionalDecimal(value: string | null | undefined) {
  return unsetIfAbsent(value === null || value === undefined ? null : toBigDecimal(value));
}

/** Bind values of one INSERT; absent values stay unset so they never write tombstones. */
function insertParams(seriesId: string, bucket: Bucket, point: PricePointInput): unknown[] {
  return [
    seriesId,
    bucket,
    point.ts,
    toBigDecimal(point.price),
    optionalDecimal(point.open),
    optionalDecimal(point.high),
    optionalDecimal(point.low),
    unsetIfAbsent(point.volume === null || point.volume === undefined ? null : types.Long.fromNumber(point.volume)),
    point.sourceId,
  ];
}

/** A bar to store; decimals as exact strings, absent values null. */
export interface PricePointInput {
  readonly ts: Date;
  readonly price: string;
  readonly open?: string | null;
  readonly high?: string | null;
  readonly low?: string | null;
  readonly volume?: number | null;
  readonly sourceId: string;
}

export interface SlicePage {
  readonly points: PricePoint[];
  /** Cassandra's paging state for the rest of this slice; null when the slice is exhausted. */
  readonly pageState: string | null;
}

/** All CQL of the asset_timeseries and commodity_timeseries tables. */
@Injectable()
export class TimeSeriesRepository {
  constructor(private readonly session: CassandraSession) {}

  /** Upserts one point into its month bucket; idempotent, so safe to retry. */
  async insert(kind: SeriesKind, seriesId: string, point: PricePointInput): Promise<void> {
    await this.session.execute(STATEMENTS[kind].insert, insertParams(seriesId, bucketOf(point.ts), point));
  }

  /**
   * Upserts points of one month bucket (one partition) as a single UNLOGGED batch: one
   * mutation on the server, idempotent, so safe to retry. Keep batches to tens or low
   * hundreds of rows so that each finishes well within the write timeout.
   */
  async insertPartition(
    kind: SeriesKind,
    seriesId: string,
    bucket: Bucket,
    points: readonly PricePointInput[],
  ): Promise<void> {
    const stray = points.find((point) => bucketOf(point.ts) !== bucket);
    if (stray !== undefined) {
      throw new RangeError(
        `point at ${stray.ts.toISOString()} is not in bucket ${bucket}: a batch must stay in one partition`,
      );
    }
    if (points.length === 0) return;
    await this.session.batch(
      STATEMENTS[kind].insert,
      points.map((point) => insertParams(seriesId, bucket, point)),
    );
  }

  /**
   * One page of a bucket slice, in ts order. Reads at most `fetchSize` rows: the page is
   * what Cassandra returns for one request, never a whole partition sliced in memory.
   */
  async readSlice(
    kind: SeriesKind,
    seriesId: string,
    slice: BucketSlice,
    page: { fetchSize: number; pageState?: string | null; order?: 'asc' | 'desc' },
  ): Promise<SlicePage> {
    const statement = page.order === 'desc' ? STATEMENTS[kind].selectSliceDesc : STATEMENTS[kind].selectSliceAsc;
    const result = await this.session.execute(
      statement,
      [seriesId, slice.bucket, slice.from, slice.to],
      pagingOptions(page.fetchSize, page.pageState),
    );
    return { points: result.rows.map(pricePointFromRow), pageState: result.pageState ?? null };
  }
}
