import { Injectable } from '@nestjs/common';
import type { Bucket } from '../buckets';
import { type CqlStatement, CassandraSession } from '../cassandra.session';
import { StorageUnavailableError } from '../storage-errors';
import type { SeriesKind } from '../price-point';

/**
 * A counter increment is not idempotent in Cassandra's sense, but it is here: the value only
 * has to differ from the one an exporter recorded, so an increment applied twice still reads
 * as "changed" (cql/010). Declared idempotent so the driver retries it on another node.
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

/**
 * Unlike a plain write, which goes to every replica and needs a quorum of them, a counter
 * update is applied first by ONE replica (the "leader") that the coordinator picks at random
 * among the replicas, dead or alive until the failure detector convicts it; a dead leader
 * answers nothing and the update times out after counter_write_request_timeout (5 s). The
 * three-node fault suite saw exactly that right after a node was killed: ingest chunks failed
 * on this increment alone, twice in a row once (the retry picked the dead leader again),
 * while every other write of the chunk was stored. So each attempt waits at most
 * ATTEMPT_TIMEOUT_MS and the increment gets ATTEMPTS tries (each retried once more on another
 * node by the driver): all of them meeting the dead leader is a (1/3)^6 chance.
 */
const ATTEMPT_TIMEOUT_MS = 2000;
const ATTEMPTS = 3;

/** All CQL of `partition_changes`: one change counter per month partition of a series. */
@Injectable()
export class PartitionChangeRepository {
  constructor(private readonly session: CassandraSession) {}

  /** Marks these month partitions of a series as changed; call it after their rows are durable. */
  async recordChanges(kind: SeriesKind, seriesId: string, buckets: Iterable<Bucket>): Promise<void> {
    await Promise.all([...new Set(buckets)].map((bucket) => this.recordChange(kind, seriesId, bucket)));
  }

  private async recordChange(kind: SeriesKind, seriesId: string, bucket: Bucket): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.session.execute(RECORD_CHANGE, [kind, seriesId, bucket], { readTimeout: ATTEMPT_TIMEOUT_MS });
        return;
      } catch (error) {
        if (attempt >= ATTEMPTS || !(error instanceof StorageUnavailableError)) throw error;
      }
    }
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
