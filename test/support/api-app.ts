import type { INestApplication } from '@nestjs/common';
import request, { type Test } from 'supertest';
import { createApiApp } from '../../apps/api/src/main';
import { expectContract } from './openapi-contract';
import { migratedKeyspace } from './test-keyspace';

export const TEST_PAGE_TOKEN_SECRET = 'e2e-page-token-secret-0123456789abcdef';

export interface RunningApi {
  readonly app: INestApplication;
  /** HTTP client whose every response is checked against the committed OpenAPI document. */
  readonly http: { get(url: string): Test };
  readonly keyspace: Awaited<ReturnType<typeof migratedKeyspace>>;
  close(): Promise<void>;
}

/**
 * The real API application on a migrated keyspace of the test's own, listening on a
 * loopback ephemeral port. `env` overrides configuration for this app only.
 */
export async function startApi(
  prefix: string,
  env: Record<string, string> = {},
  keyspaceOf?: RunningApi,
): Promise<RunningApi> {
  const where = Object.fromEntries(
    Object.entries(env).filter(([name]) => name === 'CASSANDRA_CONTACT_POINTS' || name === 'CASSANDRA_LOCAL_DC'),
  );
  const keyspace = keyspaceOf?.keyspace ?? (await migratedKeyspace(prefix, where));
  const saved = { ...process.env };
  Object.assign(process.env, {
    PAGE_TOKEN_SECRET: TEST_PAGE_TOKEN_SECRET,
    // Suites fire thousands of requests from one address: rate limiting is tested on its own.
    RATE_LIMIT_PER_MINUTE: '0',
    RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '0',
    // Read-path suites test reading; auth is tested on its own (test/e2e/auth.e2e-spec.ts).
    AUTH_ENABLED: 'false',
    ...env,
    CASSANDRA_KEYSPACE: keyspace.config.keyspace,
  });
  let app: INestApplication;
  try {
    app = await createApiApp();
  } finally {
    process.env = saved;
  }
  await app.listen(0, '127.0.0.1');
  const agent = request(app.getHttpServer());
  return {
    app,
    http: { get: (url: string) => agent.get(url).expect(expectContract) },
    keyspace,
    async close() {
      await app.close();
      if (keyspaceOf === undefined) await keyspace.drop();
    },
  };
}
