import type { Client, types } from 'cassandra-driver';
import { type Bucket, bucketEnd, bucketStart } from '../buckets';
import type { SeriesKind } from '../price-point';
import { firstTsWriteTimestamp, lastTsWriteTimestamp } from '../repositories/series-extent.repository';
import type { DataStep } from './data-step';

const TABLES: ReadonlyArray<{ kind: SeriesKind; table: string; idColumn: string }> = [
  { kind: 'asset', table: 'asset_timeseries', idColumn: 'asset_id' },
  { kind: 'commodity', table: 'commodity_timeseries', idColumn: 'commodity_id' },
];

/** The oldest and newest bucket of each series, from one scan of the table's partition keys. */
async function bucketRanges(
  client: Client,
  keyspace: string,
  table: (typeof TABLES)[number],
  consistency: types.consistencies,
): Promise<Map<string, { oldest: Bucket; newest: Bucket }>> {
  const ranges = new Map<string, { oldest: Bucket; newest: Bucket }>();
  const cql = `SELECT DISTINCT ${table.idColumn}, bucket FROM ${keyspace}.${table.table}`;
  let pageState: string | undefined;
  do {
    const result = await client.execute(cql, [], {
      prepare: true,
      fetchSize: 1000,
      consistency,
      isIdempotent: true,
      ...(pageState === undefined ? {} : { pageState }),
    });
    for (const row of result.rows) {
      const id = String(row.get(table.idColumn));
      const bucket = String(row.get('bucket'));
      const range = ranges.get(id);
      if (range === undefined) ranges.set(id, { oldest: bucket, newest: bucket });
      else if (bucket < range.oldest) range.oldest = bucket;
      else if (bucket > range.newest) range.newest = bucket;
    }
    pageState = result.pageState ?? undefined;
  } while (pageState !== undefined);
  return ranges;
}

/** The first (or last) ts stored in one partition; its bucket's edge when it holds no live row. */
async function edgeTs(
  client: Client,
  keyspace: string,
  table: (typeof TABLES)[number],
  id: string,
  bucket: Bucket,
  order: 'ASC' | 'DESC',
  consistency: types.consistencies,
): Promise<Date> {
  const result = await client.execute(
    `SELECT ts FROM ${keyspace}.${table.table} WHERE ${table.idColumn} = ? AND bucket = ? ORDER BY ts ${order} LIMIT 1`,
    [id, bucket],
    { prepare: true, consistency, isIdempotent: true },
  );
  const ts: unknown = result.first()?.get('ts');
  if (ts instanceof Date) return ts;
  return order === 'ASC' ? bucketStart(bucket) : bucketEnd(bucket);
}

/**
 * Records the extent of every series stored before migration 005, so that clamping reads to
 * the extent hides none of their rows: one scan of each time-series table's partition keys
 * (SELECT DISTINCT reads only partition keys), then one row at each end of each series.
 * Written with the same monotone write timestamps as the series writer, so it may run while
 * bars are written, and again: it only ever widens an extent. `progress` runs after each
 * series (the migrator renews its lock). Returns the number of series recorded.
 */
export async function backfillSeriesExtents(step: DataStep): Promise<number> {
  const { client, keyspace, consistency, progress: afterSeries } = step;
  let recorded = 0;
  for (const table of TABLES) {
    for (const [id, buckets] of await bucketRanges(client, keyspace, table, consistency.read)) {
      const first = await edgeTs(client, keyspace, table, id, buckets.oldest, 'ASC', consistency.read);
      const last = await edgeTs(client, keyspace, table, id, buckets.newest, 'DESC', consistency.read);
      const options = { prepare: true, consistency: consistency.write, isIdempotent: true };
      await client.execute(
        `UPDATE ${keyspace}.series_extent USING TIMESTAMP ? SET first_ts = ? WHERE series_kind = ? AND series_id = ?`,
        [firstTsWriteTimestamp(first), first, table.kind, id],
        options,
      );
      await client.execute(
        `UPDATE ${keyspace}.series_extent USING TIMESTAMP ? SET last_ts = ? WHERE series_kind = ? AND series_id = ?`,
        [lastTsWriteTimestamp(last), last, table.kind, id],
        options,
      );
      recorded += 1;
      await afterSeries(recorded);
    }
  }
  return recorded;
}
