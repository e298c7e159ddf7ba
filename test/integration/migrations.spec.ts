import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from 'cassandra-driver';
import { type CassandraConfig, loadMigrations, runMigrations } from '@market/cassandra';
import { MIGRATIONS_DIR, adminClient, testConfig } from '../support/test-keyspace';

const MIGRATION_COUNT = loadMigrations(MIGRATIONS_DIR).length;

describe('db:migrate against real Cassandra', () => {
  let config: CassandraConfig;
  let admin: Client;

  beforeAll(async () => {
    config = testConfig('it_migrate');
    admin = await adminClient(config);
  });

  afterAll(async () => {
    await admin.execute(`DROP KEYSPACE IF EXISTS ${config.keyspace}`);
    await admin.shutdown();
  });

  const recordedVersions = async (keyspace = config.keyspace) =>
    (await admin.execute(`SELECT version FROM ${keyspace}.schema_migrations`)).rows
      .map((row) => Number(row.get('version')))
      .sort((left, right) => left - right);

  it('applies every migration in order on an empty cluster and records each once', async () => {
    const report = await runMigrations(config, MIGRATIONS_DIR);
    expect(report.applied.map((migration) => migration.version)).toEqual(
      Array.from({ length: MIGRATION_COUNT }, (_, index) => index + 1),
    );
    expect(await recordedVersions()).toEqual(Array.from({ length: MIGRATION_COUNT }, (_, index) => index + 1));
  });

  it('creates the keyspace with the configured replication', async () => {
    const row = (
      await admin.execute('SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = ?', [config.keyspace])
    ).first();
    expect(row.get('replication')).toMatchObject({
      class: 'org.apache.cassandra.locator.SimpleStrategy',
      replication_factor: '1',
    });
  });

  it("keeps the seed's clustering order, TWCS options and gc_grace on the time-series tables", async () => {
    for (const table of ['asset_timeseries', 'commodity_timeseries']) {
      const described = String(
        (await admin.execute(`DESCRIBE TABLE ${config.keyspace}.${table}`)).first().get('create_statement'),
      );
      expect(described).toContain('WITH CLUSTERING ORDER BY (ts ASC)');
      expect(described).toContain("'class': 'org.apache.cassandra.db.compaction.TimeWindowCompactionStrategy'");
      expect(described).toContain("'compaction_window_size': '1'");
      expect(described).toContain("'compaction_window_unit': 'DAYS'");
      expect(described).toContain('gc_grace_seconds = 86400');
      expect(described).toMatch(/PRIMARY KEY \(\((asset|commodity)_id, bucket\), ts\)/);
    }
  });

  it('adds open, high and low as decimals to the bar tables (migration 002)', async () => {
    for (const table of ['asset_timeseries', 'commodity_timeseries', 'latest_quote_by_asset']) {
      const columns = await admin.execute(
        'SELECT column_name, type FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ?',
        [config.keyspace, table],
      );
      const types = Object.fromEntries(columns.rows.map((row) => [row.get('column_name'), row.get('type')]));
      expect(types).toMatchObject({
        open: 'decimal',
        high: 'decimal',
        low: 'decimal',
        price: 'decimal',
        volume: 'bigint',
      });
    }
  });

  it('is a no-op when run again', async () => {
    const report = await runMigrations(config, MIGRATIONS_DIR);
    expect(report.applied).toEqual([]);
    expect(report.alreadyApplied).toBe(MIGRATION_COUNT);
    expect(await recordedVersions()).toHaveLength(MIGRATION_COUNT);
  });

  it('leaves one recorded version per migration when two runs race on a fresh keyspace', async () => {
    const racing = testConfig('it_race');
    try {
      const reports = await Promise.all([runMigrations(racing, MIGRATIONS_DIR), runMigrations(racing, MIGRATIONS_DIR)]);
      const appliedTotal = reports.reduce((total, report) => total + report.applied.length, 0);
      expect(appliedTotal).toBe(MIGRATION_COUNT);
      expect(await recordedVersions(racing.keyspace)).toEqual(
        Array.from({ length: MIGRATION_COUNT }, (_, index) => index + 1),
      );
    } finally {
      await admin.execute(`DROP KEYSPACE IF EXISTS ${racing.keyspace}`);
    }
  });

  it('refuses to run when an applied migration was edited afterwards', async () => {
    const edited = fs.mkdtempSync(path.join(os.tmpdir(), 'migrations-'));
    for (const file of fs.readdirSync(MIGRATIONS_DIR))
      fs.copyFileSync(path.join(MIGRATIONS_DIR, file), path.join(edited, file));
    fs.appendFileSync(path.join(edited, '001_initial_schema.cql'), '\n-- an innocent-looking edit\n');
    await expect(runMigrations(config, edited)).rejects.toThrow(/001_initial_schema was edited after it was applied/);
    fs.rmSync(edited, { recursive: true });
  });

  it('sets the configured default TTL on the time-series tables, and only there', async () => {
    await runMigrations({ ...config, timeSeriesTtlSeconds: { asset: 3600, commodity: 0 } }, MIGRATIONS_DIR);
    const ttls = await admin.execute(
      'SELECT table_name, default_time_to_live FROM system_schema.tables WHERE keyspace_name = ?',
      [config.keyspace],
    );
    const byTable = Object.fromEntries(
      ttls.rows.map((row) => [row.get('table_name'), row.get('default_time_to_live')]),
    );
    expect(byTable).toMatchObject({ asset_timeseries: 3600, commodity_timeseries: 0, latest_quote_by_asset: 0 });
  });
});
