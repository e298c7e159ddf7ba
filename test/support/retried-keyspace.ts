import { Client } from 'cassandra-driver';
import { clientOptions, runMigrations } from '@market/cassandra';
import { MIGRATIONS_DIR, testConfig } from '../../scripts/cassandra/scratch-keyspace';

/**
 * migratedKeyspace for the long opt-in scripts (test:export-memory, test:spark): the
 * migrations are retried (they are idempotent) when a busy shared node times out their DDL,
 * so a run of minutes is not lost to one slow CREATE TABLE.
 */
export async function retriedKeyspace(prefix: string, attempts = 4) {
  const config = testConfig(prefix);
  for (let attempt = 1; ; attempt += 1) {
    try {
      await runMigrations(config, MIGRATIONS_DIR);
      break;
    } catch (error) {
      if (attempt >= attempts) throw error;
      console.log(`migrating ${config.keyspace}: attempt ${attempt} failed (${(error as Error).message}); again`);
    }
  }
  const admin = new Client(clientOptions(config));
  await admin.connect();
  return {
    config,
    async drop(): Promise<void> {
      try {
        await admin.execute(`DROP KEYSPACE IF EXISTS ${config.keyspace}`, [], { readTimeout: 120_000 });
      } finally {
        await admin.shutdown();
      }
    },
  };
}
