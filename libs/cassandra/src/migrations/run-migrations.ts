import { Client } from 'cassandra-driver';
import type { CassandraConfig } from '../cassandra.config';
import { clientOptions } from '../client-options';
import { loadMigrations } from './migration-files';
import { type MigrationReport, Migrator, type MigratorOptions } from './migrator';

/**
 * Connects without a keyspace (it may not exist yet), applies the migrations of
 * `directory` and disconnects.
 */
export async function runMigrations(
  config: CassandraConfig,
  directory: string,
  options: MigratorOptions = {},
): Promise<MigrationReport> {
  const migrations = loadMigrations(directory);
  const client = new Client(clientOptions(config, false));
  try {
    await client.connect();
    return await new Migrator(client, config, options).migrate(migrations);
  } finally {
    await client.shutdown();
  }
}
