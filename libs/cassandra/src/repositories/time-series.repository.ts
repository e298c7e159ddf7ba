import { Injectable } from '@nestjs/common';
import { types } from 'cassandra-driver';
import { type Bucket, type BucketSlice, bucketMillis, bucketOf } from '../buckets';
import { type CqlStatement, CassandraSession } from '../cassandra.session';
import { pagingOptions, unsetIfAbsent } from './bind-values';
import { decimalBytes } from '../wire-values';
import { PRICE_POINT_COLUMNS, type PricePoint, type SeriesKind, pricePointFromRow } from '../price-point';

const TABLES: Record<SeriesKind, { table: string; idColumn: string }> = {
  asset: { table: 'asset_timeseries', idColumn: 'asset_id' },
  commodity: { table: 'commodity_timeseries', idColumn: 'commodity_id' },
};

function statementsFor(kind: SeriesKind) {
  const { table, idColumn } = TABLES[kind];
  const slice = `SELECT ${PRICE_POINT_COLUMNS} FROM {{keyspace}}.${table} WHERE ${idColumn} = ? AND bucket = ? AND ts >= ? AND ts <= ?`;
  return {
    insert: {
      name: `${table}.insert`,
      cql: `INSERT INTO {{keyspace}}.${table} (${idColumn}, bucket, ts, price, open, high, low, volume, source_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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

/**
 * The protocol bytes of the decimals of one batch, each distinct text encoded once and
 * shared by every row that has it. Neighbouring bars repeat prices (an open is often the
 * previous close; a minute moves a price by a few cents), and the driver keeps every bind
 * value of a batch until Cassandra answers: fewer buffers to build, and fewer to keep alive
 * through the young-generation collections that run while batches are in flight.
 */
class BatchDecimals {
  private readonly bytes = new Map<string, Buffer>();

  of(text: string): Buffer {
    let bytes = this.bytes.get(text);
    if (bytes === undefined) {
      bytes = decimalBytes(text);
      this.bytes.set(text, bytes);
    }
    return bytes;
  }

  optional(text: string | null | undefined): Buffer | typeof types.unset {
    return unsetIfAbsent(text === null || text === undefined ? null : this.of(text));
  }
}

/** A text value encoded once (UTF-8) and shared by every row of a batch. */
function textBytes(text: string): Buffer {
  return Buffer.from(text, 'utf8');
}

/**
 * Bind values of one INSERT. Text and decimals go as protocol bytes (wire-values.ts: the
 * driver's BigDecimal costs more to build than the write itself); ts and volume go as the
 * Date and number the bar already holds, which the driver encodes into the frame and then
 * drops, instead of a buffer of ours that it would keep alive with the request until
 * Cassandra answers. Absent values stay unset, so they never write tombstones.
 * `partition` holds the row's id and bucket, encoded once per batch.
 */
function insertParams(
  partition: readonly [Buffer, Buffer],
  point: BarValues,
  sourceId: Buffer,
  decimals: BatchDecimals,
): unknown[] {
  return [
    partition[0],
    partition[1],
    point.ts,
    decimals.of(point.price),
    decimals.optional(point.open),
    decimals.optional(point.high),
    decimals.optional(point.low),
    unsetIfAbsent(point.volume),
    sourceId,
  ];
}

/** The values of one bar to store; decimals as exact strings, absent values null. `price` is the close. */
export interface BarValues {
  readonly ts: Date;
  readonly price: string;
  readonly open?: string | null;
  readonly high?: string | null;
  readonly low?: string | null;
  readonly volume?: number | null;
}

/** A bar to store, with the source it came from. */
export interface PricePointInput extends BarValues {
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
    const partition = [textBytes(seriesId), textBytes(bucketOf(point.ts))] as const;
    await this.session.execute(
      STATEMENTS[kind].insert,
      insertParams(partition, point, textBytes(point.sourceId), new BatchDecimals()),
    );
  }

  /**
   * Upserts bars of one source and one month bucket (one partition) as a single UNLOGGED
   * batch: one mutation on the server, idempotent, so safe to retry. Keep batches to tens
   * or low hundreds of rows so that each finishes well within the write timeout.
   */
  async insertPartition(
    kind: SeriesKind,
    seriesId: string,
    bucket: Bucket,
    sourceId: string,
    bars: readonly BarValues[],
  ): Promise<void> {
    const { first, last } = bucketMillis(bucket);
    const stray = bars.find((bar) => !(bar.ts.getTime() >= first && bar.ts.getTime() <= last));
    if (stray !== undefined) {
      throw new RangeError(
        `point at ${Number.isNaN(stray.ts.getTime()) ? 'an invalid time' : stray.ts.toISOString()} is not in bucket ${bucket}: a batch must stay in one partition`,
      );
    }
    if (bars.length === 0) return;
    const partition = [textBytes(seriesId), textBytes(bucket)] as const;
    const source = textBytes(sourceId);
    const decimals = new BatchDecimals();
    await this.session.batch(
      STATEMENTS[kind].insert,
      bars.map((bar) => insertParams(partition, bar, source, decimals)),
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
