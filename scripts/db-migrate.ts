/**
 * npm run db:migrate — applies pending CQL migrations from cql/ to the configured cluster.
 * Reads the same CASSANDRA_* variables as the apps.
 */
import path from 'node:path';
import { cassandraConfigFromEnv, cassandraEnvSchema, runMigrations } from '@market/cassandra';
import { parseEnv } from '@market/config';

export const MIGRATIONS_DIR = path.resolve(__dirname, '..', 'cql');

async function main(): Promise<void> {
  const config = cassandraConfigFromEnv(parseEnv(cassandraEnvSchema, process.env));
  const started = Date.now();
  const report = await runMigrations(config, MIGRATIONS_DIR, { log: (line) => console.log(`[migrate] ${line}`) });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `[migrate] keyspace ${config.keyspace}: ${report.applied.length} applied, ${report.alreadyApplied} already applied (${seconds}s)`,
  );
}

main().catch((error: unknown) => {
  console.error(`[migrate] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
