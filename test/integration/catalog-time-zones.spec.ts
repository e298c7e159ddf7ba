import type { Client } from 'cassandra-driver';
import { type CassandraConfig, Migrator, loadMigrations, runMigrations } from '@market/cassandra';
import { MIGRATIONS_DIR, adminClient, testConfig } from '../support/test-keyspace';

describe('migration 007 fills meta.timezone of catalog entries stored without it', () => {
  let config: CassandraConfig;
  let admin: Client;
  const log: string[] = [];

  beforeAll(async () => {
    config = testConfig('it_catalog_zones');
    admin = await adminClient(config);
    const before007 = loadMigrations(MIGRATIONS_DIR).filter((migration) => migration.version < 7);
    await new Migrator(admin, config).migrate(before007);
  });

  afterAll(async () => {
    await admin.execute(`DROP KEYSPACE IF EXISTS ${config.keyspace}`);
    await admin.shutdown();
  });

  const put = (table: 'assets' | 'commodities', id: string, meta: Record<string, string>) =>
    admin.execute(
      `INSERT INTO ${config.keyspace}.${table} (${table === 'assets' ? 'asset_id' : 'commodity_id'}, symbol, name, meta) VALUES (?, ?, ?, ?)`,
      [id, id, `${id} name`, meta],
      { prepare: true },
    );
  const metaOf = async (table: 'assets' | 'commodities', id: string) =>
    (
      await admin.execute(
        `SELECT meta FROM ${config.keyspace}.${table} WHERE ${table === 'assets' ? 'asset_id' : 'commodity_id'} = ?`,
        [id],
        { prepare: true },
      )
    )
      .first()
      .get('meta') as Record<string, string>;

  it('fills the zone by the readers rule, keeps stated zones and every other key', async () => {
    await put('assets', 'AAPL', { source: 'yahoo', interval: '1m' });
    await put('assets', 'BTCUSDT', { source: 'binance', interval: '1m' });
    await put('assets', 'ODD', { source: 'somewhere-else' });
    await put('assets', 'LSE', { source: 'yahoo', timezone: 'Europe/London' });
    await put('assets', 'BAD', { source: 'stooq', timezone: 'Mars/Olympus' });
    await put('commodities', 'dgs10', { source: 'fred', interval: '1d' });
    await put('commodities', 'brent', { source: 'synthetic' });

    const report = await runMigrations(config, MIGRATIONS_DIR, { log: (line) => log.push(line) });
    expect(report.applied.map((migration) => migration.version)).toContain(7);

    expect(await metaOf('assets', 'AAPL')).toEqual({ source: 'yahoo', interval: '1m', timezone: 'America/New_York' });
    expect(await metaOf('assets', 'BTCUSDT')).toEqual({ source: 'binance', interval: '1m', timezone: 'UTC' });
    expect(await metaOf('assets', 'ODD')).toEqual({ source: 'somewhere-else', timezone: 'UTC' });
    expect(await metaOf('assets', 'LSE')).toEqual({ source: 'yahoo', timezone: 'Europe/London' });
    // Readers already ignored a value that names no zone; the stored entry now says what they used.
    expect(await metaOf('assets', 'BAD')).toEqual({ source: 'stooq', timezone: 'America/New_York' });
    expect(await metaOf('commodities', 'dgs10')).toEqual({ source: 'fred', interval: '1d', timezone: 'UTC' });
    expect(await metaOf('commodities', 'brent')).toEqual({ source: 'synthetic', timezone: 'America/New_York' });
    expect(log).toContain('filled meta.timezone of 6 catalog entries (3 America/New_York, 3 UTC)');
  });

  it('changes nothing when it runs again', async () => {
    const ids = ['AAPL', 'BTCUSDT', 'ODD', 'LSE', 'BAD'];
    const before = await Promise.all(ids.map((id) => metaOf('assets', id)));
    // Forget that 007 was applied, so the migrator runs its fill a second time.
    await admin.execute(`DELETE FROM ${config.keyspace}.schema_migrations WHERE version = 7`);
    log.length = 0;
    const report = await runMigrations(config, MIGRATIONS_DIR, { log: (line) => log.push(line) });
    expect(report.applied.map((migration) => migration.version)).toEqual([7]);
    expect(log).toContain('filled meta.timezone of 0 catalog entries');
    expect(await Promise.all(ids.map((id) => metaOf('assets', id)))).toEqual(before);
  });
});
