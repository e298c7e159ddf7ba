import { Injectable } from '@nestjs/common';
import type { Bucket } from '../buckets';
import { type CqlStatement, CassandraSession } from '../cassandra.session';
import type { SeriesKind } from '../price-point';

/**
 * A counter increment is not idempotent in Cassandra's sense, but it is here: the value only
 * has to differ from the one an exporter recorded, so an increment applied twice still reads
 * as "changed" (cql/010). Declared idempotent so the driver retries it on another node after a
 * timeout: counter writes wait up to counter_write_request_timeout (5 s) on a replica that
 * has just died, and the three-node fault suite saw ingest chunks fail on exactly that
 * while every other write of the chunk had been retried and stored.
 */
const RECORD_CHANGE: CqlStatement = {
  name: 'partition_changes.record',
  cql: 'UPDATE {{keyspace}}.partition_changes SET changes = changes + 1 WHERE series_kind = ? AND series_id = ? AND bucket = ?',
  kind: 'write',
  idempotent: true,
};

const SELECT_CHANGES: CqlStatement = {
  name: 'partition_changes.select',
  cql: 'SELECT bucket, changes FROM {{keyspace}}.partition_changes WHERE series_kind = ? AND series_id = ?',
  kind: 'read',
  idempotent: true,
};

/** All CQL of `partition_changes`: one change counter per month partition of a series. */
@Injectable()
export class PartitionChangeRepository {
  constructor(private readonly session: CassandraSession) {}

  /** Marks these month partitions of a series as changed; call it after their rows are durable. */
  async recordChanges(kind: SeriesKind, seriesId: string, buckets: Iterable<Bucket>): Promise<void> {
    await Promise.all(
      [...new Set(buckets)].map((bucket) => this.session.execute(RECORD_CHANGE, [kind, seriesId, bucket])),
    );
  }

  /** The change marker of every partition of a series ever marked, by bucket (a decimal count as text). */
  async changesOf(kind: SeriesKind, seriesId: string): Promise<Map<Bucket, string>> {
    const markers = new Map<Bucket, string>();
    let pageState: string | undefined;
    do {
      const result = await this.session.execute(SELECT_CHANGES, [kind, seriesId], {
        fetchSize: 1000,
        ...(pageState === undefined ? {} : { pageState }),
      });
      for (const row of result.rows) {
        markers.set(String(row.get('bucket')), String(row.get('changes')));
      }
      pageState = result.pageState ?? undefined;
    } while (pageState !== undefined);
    return markers;
  }
}
