import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'cassandra-driver';
import {
  type CassandraConfig,
  cassandraConfigFromEnv,
  cassandraEnvSchema,
  clientOptions,
  runMigrations,
} from '@market/cassandra';
import { parseEnv } from '@market/config';

export const MIGRATIONS_DIR = path.resolve(__dirname, '..', '..', 'cql');

/**
 * The config of the Cassandra that cassandra-for-runs chose, with a keyspace of the caller's
 * own (`<prefix>_<random>`), so test suites and benchmark phases never see each other's rows.
 */
export function testConfig(prefix: string, overrides: Record<string, string> = {}): CassandraConfig {
  const keyspace = `${prefix}_${randomBytes(4).toString('hex')}`;
  // Fail fast in tests: a test that cannot reach Cassandra must fail, not wait minutes.
  const env = { CASSANDRA_CONNECT_ATTEMPTS: '3', ...process.env, CASSANDRA_KEYSPACE: keyspace, ...overrides };
  return cassandraConfigFromEnv(parseEnv(cassandraEnvSchema, env));
}

/** A migrated keyspace of the caller's own, with an admin client for assertions; `drop()` removes it. */
export async function migratedKeyspace(prefix: string, overrides: Record<string, string> = {}) {
  const config = testConfig(prefix, overrides);
  await runMigrations(config, MIGRATIONS_DIR);
  const admin = new Client(clientOptions(config));
  await admin.connect();
  return {
    config,
    admin,
    async drop(): Promise<void> {
      try {
        // Dropping flushes every table first: on a busy or just-restarted node that takes longer
        // than the request timeout, and a timed-out drop leaves the cluster's schema mid-change.
        await admin.execute(`DROP KEYSPACE IF EXISTS ${config.keyspace}`, [], { readTimeout: 120_000 });
      } finally {
        await admin.shutdown();
      }
    },
  };
}

/** A connected client without keyspace, for tests that create their own. */
export async function adminClient(config: CassandraConfig): Promise<Client> {
  const client = new Client(clientOptions(config, false));
  await client.connect();
  return client;
}
