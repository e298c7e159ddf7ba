import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Client, types } from 'cassandra-driver';
import type { CassandraConfig, ConsistencyName, Replication } from '../cassandra.config';
import { consistencyCode } from '../client-options';
import { type Migration, renderStatement } from './migration-files';
import { type CatalogTimeZoneFill, fillCatalogTimeZones } from './catalog-time-zone-backfill';
import type { DataStep } from './data-step';
import { backfillSeriesExtents } from './series-extent-backfill';
import {
  type SchemaVersionGroups,
  awaitSchemaAgreement,
  groupSchemaVersions,
  inAgreement,
  readSchemaVersions,
} from './schema-agreement';

export interface MigrationReport {
  readonly applied: readonly Migration[];
  readonly alreadyApplied: number;
  readonly ttlChanges: readonly string[];
}

export interface MigratorOptions {
  /** How long to wait for another migrator's lock before giving up. */
  readonly lockWaitMs?: number;
  /** How long nodes may disagree on the schema before the migrator stops; the config's by default. */
  readonly schemaAgreementTimeoutMs?: number;
  readonly log?: (line: string) => void;
}

const LOCK_NAME = 'schema';
/** cql/005_series_extent.cql: its table is back-filled from the time-series tables. */
const SERIES_EXTENT_MIGRATION = 5;
/** cql/007_catalog_time_zones.cql: catalog entries without meta.timezone get the zone readers used for them. */
const CATALOG_TIME_ZONE_MIGRATION = 7;
// Long enough for a slow cluster's DDL; renewed after every statement, so a crashed
// migrator's lock expires by itself instead of blocking deploys forever.
const LOCK_TTL_SECONDS = 120;

/**
 * A name-based (v5-style) UUID for a table. Table ids are unique across the cluster, so
 * it is derived from keyspace and table: two migrators racing to create the bookkeeping
 * tables on different coordinators then create the same table, not two conflicting ones.
 */
export function deterministicTableId(keyspace: string, table: string): string {
  const hex = createHash('sha1').update(`market-warehouse:${keyspace}.${table}`).digest('hex').slice(0, 32).split('');
  hex[12] = '5';
  hex[16] = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  const text = hex.join('');
  return `${text.slice(0, 8)}-${text.slice(8, 12)}-${text.slice(12, 16)}-${text.slice(16, 20)}-${text.slice(20)}`;
}

function bookkeepingTables(keyspace: string): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS ${keyspace}.schema_migrations (
       version int PRIMARY KEY, name text, checksum text, applied_at timestamp
     ) WITH ID = ${deterministicTableId(keyspace, 'schema_migrations')}`,
    `CREATE TABLE IF NOT EXISTS ${keyspace}.schema_migration_lock (
       name text PRIMARY KEY, owner text, acquired_at timestamp
     ) WITH ID = ${deterministicTableId(keyspace, 'schema_migration_lock')}`,
  ];
}

/** The CQL map literal of a replication setting. */
export function replicationCql(replication: Replication): string {
  if (replication.class === 'SimpleStrategy') {
    return `{'class': 'SimpleStrategy', 'replication_factor': ${replication.replicationFactor}}`;
  }
  const datacenters = Object.entries(replication.datacenters).map(([dc, factor]) => `'${dc}': ${factor}`);
  return `{'class': 'NetworkTopologyStrategy', ${datacenters.join(', ')}}`;
}

/**
 * Applies the numbered migrations of cql/ in order, once each, recording them in the
 * keyspace. Safe to run again (applied versions are skipped) and concurrently (a
 * lightweight-transaction lock lets one migrator work at a time).
 */
export class Migrator {
  private readonly owner = randomUUID();
  private readonly log: (line: string) => void;

  constructor(
    private readonly client: Client,
    private readonly config: CassandraConfig,
    private readonly options: MigratorOptions = {},
  ) {
    this.log = options.log ?? (() => undefined);
  }

  /** Applies every pending migration, then reconciles the configured table TTLs. */
  async migrate(migrations: readonly Migration[]): Promise<MigrationReport> {
    await this.ddl(
      `CREATE KEYSPACE IF NOT EXISTS ${this.config.keyspace} WITH replication = ${replicationCql(this.config.replication)}`,
    );
    for (const statement of bookkeepingTables(this.config.keyspace)) await this.ddl(statement);
    await this.acquireLock();
    try {
      const recorded = await this.recordedChecksums();
      this.assertUnchanged(migrations, recorded);
      const pending = migrations.filter((migration) => !recorded.has(migration.version));
      for (const migration of pending) await this.apply(migration);
      const ttlChanges = await this.reconcileTtls();
      return { applied: pending, alreadyApplied: migrations.length - pending.length, ttlChanges };
    } finally {
      await this.releaseLock();
    }
  }

  /** Versions recorded in the keyspace, with their checksums. */
  async recordedChecksums(): Promise<Map<number, string>> {
    const result = await this.client.execute(
      `SELECT version, checksum FROM ${this.config.keyspace}.schema_migrations`,
      [],
      { prepare: true, consistency: this.consistency(this.config.readConsistency), isIdempotent: true },
    );
    return new Map(result.rows.map((row) => [Number(row.get('version')), String(row.get('checksum'))]));
  }

  private assertUnchanged(migrations: readonly Migration[], recorded: Map<number, string>): void {
    for (const migration of migrations) {
      const checksum = recorded.get(migration.version);
      if (checksum !== undefined && checksum !== migration.checksum) {
        throw new Error(
          `migration ${String(migration.version).padStart(3, '0')}_${migration.name} was edited after it was applied; ` +
            'add a new migration instead of changing an applied one',
        );
      }
    }
  }

  private async apply(migration: Migration): Promise<void> {
    const label = `${String(migration.version).padStart(3, '0')}_${migration.name}`;
    this.log(`applying ${label} (${migration.statements.length} statements)`);
    for (const statement of migration.statements) {
      await this.ddl(renderStatement(statement, this.config.keyspace));
      await this.renewLock();
    }
    await this.afterStatements(migration);
    await this.client.execute(
      `INSERT INTO ${this.config.keyspace}.schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)`,
      [migration.version, migration.name, migration.checksum, new Date()],
      { prepare: true, consistency: this.consistency(this.config.writeConsistency), isIdempotent: true },
    );
    this.log(`applied ${label}`);
  }

  /**
   * Data a migration's new table needs from the tables before it, filled in before the
   * migration is recorded: if this step fails, the next run repeats the migration (its DDL
   * is IF NOT EXISTS and the back-fill only widens), so it is never half done and recorded.
   */
  private async afterStatements(migration: Migration): Promise<void> {
    const step: DataStep = {
      client: this.client,
      keyspace: this.config.keyspace,
      consistency: {
        read: this.consistency(this.config.readConsistency),
        write: this.consistency(this.config.writeConsistency),
      },
      // A long data step renews the lock as it goes, so it does not expire under it.
      progress: async (done) => {
        if (done % 100 === 0) await this.renewLock();
      },
    };
    if (migration.version === SERIES_EXTENT_MIGRATION) {
      const recorded = await backfillSeriesExtents(step);
      this.log(`recorded the extent of ${recorded} series stored before series_extent existed`);
    }
    if (migration.version === CATALOG_TIME_ZONE_MIGRATION) this.logTimeZoneFill(await fillCatalogTimeZones(step));
  }

  private logTimeZoneFill({ filled, byZone }: CatalogTimeZoneFill): void {
    const zones = Object.entries(byZone).map(([zone, count]) => `${count} ${zone}`);
    this.log(`filled meta.timezone of ${filled} catalog entries${zones.length === 0 ? '' : ` (${zones.join(', ')})`}`);
  }

  /**
   * Runs one DDL statement once every node agrees on the schema, and waits for agreement
   * on the new one. A node left on another schema version by a failure turns DDL into
   * errors such as "Unknown CF <id>" (docs/schema-agreement.md): the migrator waits for the
   * versions to converge first, and a DDL that failed while they differed is retried once
   * they agree again.
   */
  private async ddl(statement: string): Promise<void> {
    await this.awaitSchemaAgreement();
    let result;
    try {
      result = await this.runDdl(statement);
    } catch (error) {
      if (inAgreement(groupSchemaVersions(await readSchemaVersions(this.client)))) throw error;
      this.log(`DDL failed while the nodes disagree on the schema; retrying once they agree`);
      await this.awaitSchemaAgreement();
      result = await this.runDdl(statement);
    }
    // The driver waits up to 10 s for agreement after DDL and reports the outcome here
    // (missing from its typings); on a slow cluster we keep waiting.
    const info = result.info as typeof result.info & { isSchemaInAgreement?: boolean };
    if (info.isSchemaInAgreement !== true) await this.awaitSchemaAgreement();
  }

  private async runDdl(statement: string): Promise<types.ResultSet> {
    try {
      // DDL is never prepared (the client prepares by default): preparing sends it to every
      // host, and a host that has not yet seen the new keyspace or datacenter refuses it.
      // A coordinator can also lag behind a keyspace another migrator just created: retried.
      return await this.afterSchemaLag(() =>
        this.client.execute(statement, [], {
          prepare: false,
          consistency: this.consistency(this.config.writeConsistency),
        }),
      );
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`${reason} — in: ${statement.replace(/\s+/g, ' ').slice(0, 160)}`, { cause: error });
    }
  }

  /** Waits (bounded) until every node that is up reports the same schema version. */
  private async awaitSchemaAgreement(): Promise<void> {
    let waited = false;
    const waitedMs = await awaitSchemaAgreement(
      () => readSchemaVersions(this.client),
      this.options.schemaAgreementTimeoutMs ?? this.config.schemaAgreementTimeoutMs,
      {
        pollMs: 1000,
        onWait: (groups: SchemaVersionGroups) => {
          waited = true;
          this.log(
            `waiting for the nodes to agree on the schema (${groups.groups
              .map((group) => `${group.addresses.join(', ')} on ${group.schemaVersion}`)
              .join('; ')})`,
          );
        },
      },
    );
    if (waited) this.log(`the nodes agree on the schema again after ${(waitedMs / 1000).toFixed(1)}s`);
  }

  /** The configured default TTLs of the time-series tables; only changed ones are altered. */
  private async reconcileTtls(): Promise<string[]> {
    const wanted: Record<string, number> = {
      asset_timeseries: this.config.timeSeriesTtlSeconds.asset,
      commodity_timeseries: this.config.timeSeriesTtlSeconds.commodity,
    };
    const result = await this.client.execute(
      'SELECT table_name, default_time_to_live FROM system_schema.tables WHERE keyspace_name = ?',
      [this.config.keyspace],
      { prepare: true },
    );
    const changes: string[] = [];
    for (const row of result.rows) {
      const table = String(row.get('table_name'));
      const ttl = wanted[table];
      if (ttl !== undefined && Number(row.get('default_time_to_live')) !== ttl) {
        await this.ddl(`ALTER TABLE ${this.config.keyspace}.${table} WITH default_time_to_live = ${ttl}`);
        changes.push(`${table}: default_time_to_live = ${ttl}`);
        this.log(`set ${table} default_time_to_live = ${ttl}s`);
      }
    }
    return changes;
  }

  private async acquireLock(): Promise<void> {
    const waitMs = this.options.lockWaitMs ?? 300_000;
    const deadline = Date.now() + waitMs;
    let announced = false;
    for (;;) {
      const result = await this.afterSchemaLag(() =>
        this.client.execute(
          `INSERT INTO ${this.config.keyspace}.schema_migration_lock (name, owner, acquired_at) VALUES (?, ?, ?) IF NOT EXISTS USING TTL ${LOCK_TTL_SECONDS}`,
          [LOCK_NAME, this.owner, new Date()],
          { prepare: true, serialConsistency: types.consistencies.localSerial },
        ),
      );
      if (result.wasApplied()) return;
      if (!announced) {
        this.log(`waiting for another migrator (lock held by ${String(result.first().get('owner'))})`);
        announced = true;
      }
      if (Date.now() > deadline) {
        throw new Error(`another migrator held the schema lock for more than ${waitMs / 1000}s`);
      }
      await sleep(250 + Math.random() * 250);
    }
  }

  /**
   * Runs a statement, retrying for up to 30 s while a node still answers "keyspace/table
   * doesn't exist": on a fresh multi-node cluster a node can report schema agreement a
   * moment before it prepares statements against the new keyspace.
   */
  private async afterSchemaLag<T>(run: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        return await run();
      } catch (error) {
        const lagging =
          error instanceof Error && /doesn't exist|does not exist|unconfigured table/i.test(error.message);
        if (!lagging || Date.now() > deadline) throw error;
        await sleep(500);
      }
    }
  }

  private async renewLock(): Promise<void> {
    const result = await this.client.execute(
      `UPDATE ${this.config.keyspace}.schema_migration_lock USING TTL ${LOCK_TTL_SECONDS} SET acquired_at = ? WHERE name = ? IF owner = ?`,
      [new Date(), LOCK_NAME, this.owner],
      { prepare: true, serialConsistency: types.consistencies.localSerial },
    );
    if (!result.wasApplied())
      throw new Error('lost the schema lock while migrating (it expired); run db:migrate again');
  }

  private async releaseLock(): Promise<void> {
    await this.client.execute(
      `DELETE FROM ${this.config.keyspace}.schema_migration_lock WHERE name = ? IF owner = ?`,
      [LOCK_NAME, this.owner],
      { prepare: true, serialConsistency: types.consistencies.localSerial },
    );
  }

  private consistency(name: ConsistencyName): types.consistencies {
    return consistencyCode(name);
  }
}
