import { Injectable } from '@nestjs/common';
import type { types } from 'cassandra-driver';
import { type CqlStatement, CassandraSession } from '../cassandra.session';
import type { SeriesKind } from '../price-point';

/** Identifies one ingested series of one source. */
export interface CheckpointKey {
  readonly sourceId: string;
  readonly kind: SeriesKind;
  readonly seriesId: string;
}

const GET_CHECKPOINT: CqlStatement = {
  name: 'ingest_checkpoints.get',
  cql: 'SELECT last_ts FROM {{keyspace}}.ingest_checkpoints WHERE source_id = ? AND series_kind = ? AND series_id = ?',
  kind: 'read',
  idempotent: true,
};
const SAVE_CHECKPOINT: CqlStatement = {
  name: 'ingest_checkpoints.save',
  cql: 'INSERT INTO {{keyspace}}.ingest_checkpoints (source_id, series_kind, series_id, last_ts, updated_at) VALUES (?, ?, ?, ?, ?)',
  kind: 'write',
  idempotent: true,
};
const TAKE_LEASE: CqlStatement = {
  name: 'job_leases.take',
  cql: 'INSERT INTO {{keyspace}}.job_leases (job_id, owner, acquired_at) VALUES (?, ?, ?) IF NOT EXISTS USING TTL ?',
  kind: 'write',
  idempotent: false,
};
const RENEW_LEASE: CqlStatement = {
  name: 'job_leases.renew',
  cql: 'UPDATE {{keyspace}}.job_leases USING TTL ? SET owner = ?, acquired_at = ? WHERE job_id = ? IF owner = ?',
  kind: 'write',
  idempotent: false,
};
const RELEASE_LEASE: CqlStatement = {
  name: 'job_leases.release',
  cql: 'DELETE FROM {{keyspace}}.job_leases WHERE job_id = ? IF owner = ?',
  kind: 'write',
  idempotent: false,
};

/**
 * All CQL of the ingestor's own state: checkpoints (how far a series is durably written)
 * and job leases (lightweight transactions, so only one replica runs a job at a time).
 */
@Injectable()
export class IngestStateRepository {
  constructor(private readonly session: CassandraSession) {}

  async checkpoint(key: CheckpointKey): Promise<Date | null> {
    const row = (
      await this.session.execute(GET_CHECKPOINT, [key.sourceId, key.kind, key.seriesId])
    ).first() as types.Row | null;
    const lastTs: unknown = row?.get('last_ts');
    return lastTs instanceof Date ? lastTs : null;
  }

  /**
   * Records that everything up to `lastTs` is durably written. Written with the checkpoint
   * time as write timestamp, so a slow, older save can never overwrite a newer one.
   */
  async saveCheckpoint(key: CheckpointKey, lastTs: Date): Promise<void> {
    await this.session.execute(SAVE_CHECKPOINT, [key.sourceId, key.kind, key.seriesId, lastTs, new Date()], {
      timestamp: lastTs.getTime() * 1000,
    });
  }

  /**
   * Records how far a backfill run has durably written, later or earlier than before (a
   * restarted run moves it back): written at the current time, so the last save wins.
   */
  async moveCheckpoint(key: CheckpointKey, lastTs: Date): Promise<void> {
    await this.session.execute(SAVE_CHECKPOINT, [key.sourceId, key.kind, key.seriesId, lastTs, new Date()]);
  }

  /** Takes the lease of a job for `ttlSeconds` if nobody holds it; true when taken. */
  async takeLease(jobId: string, owner: string, ttlSeconds: number): Promise<boolean> {
    const result = await this.session.execute(TAKE_LEASE, [jobId, owner, new Date(), ttlSeconds]);
    return result.wasApplied();
  }

  /** Extends a lease this owner holds; false when it has lost it (expired and taken by another). */
  async renewLease(jobId: string, owner: string, ttlSeconds: number): Promise<boolean> {
    const result = await this.session.execute(RENEW_LEASE, [ttlSeconds, owner, new Date(), jobId, owner]);
    return result.wasApplied();
  }

  async releaseLease(jobId: string, owner: string): Promise<void> {
    await this.session.execute(RELEASE_LEASE, [jobId, owner]);
  }
}
