import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { InvalidConfigError } from '@market/config';
import { createApiApp } from '../../apps/api/src/main';
import { createIngestorApp } from '../../apps/ingestor/src/main';
import { writeApiKeysFile } from '../support/api-keys-file';
import { migratedKeyspace } from '../support/test-keyspace';

type Keyspace = Awaited<ReturnType<typeof migratedKeyspace>>;

const ROOT = path.resolve(__dirname, '..', '..');

/** Runs an app's real entry point the way `npm start` does, with a chosen environment. */
function runEntryPoint(entry: string, env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', entry], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    // tsx compiles the whole app before it reads its config: on a loaded 2-core CI machine
    // that took over 30 s (status null: killed by this timeout, not a wrong exit code).
    timeout: 120_000,
  });
}

/** Two entry points at most per test, each bounded by runEntryPoint's timeout. */
const START_UP_TEST_MS = 250_000;

describe.each([
  ['api', createApiApp],
  ['ingestor', createIngestorApp],
] as const)('the %s app', (name, createApp) => {
  let keyspace: Keyspace;
  let app: INestApplication;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    keyspace = await migratedKeyspace(`e2e_${name}`);
    process.env.CASSANDRA_KEYSPACE = keyspace.config.keyspace;
    // Auth is on by default and needs a key source, on both apps' ports.
    process.env.AUTH_JWT_SECRET = 'apps-start-jwt-secret-0123456789abcdef';
    app = await createApp();
    await app.listen(0, '127.0.0.1');
  });

  afterAll(async () => {
    await app.close();
    await keyspace.drop();
    process.env = savedEnv;
  });

  it('answers /health with Cassandra up', async () => {
    const response = await request(app.getHttpServer()).get('/health').expect(200);
    expect(response.body).toMatchObject({
      status: 'ok',
      details: { cassandra: { status: 'up', consistency: 'LOCAL_QUORUM' } },
    });
  });

  it('answers liveness without touching Cassandra and readiness with it', async () => {
    expect((await request(app.getHttpServer()).get('/health/live').expect(200)).body).toEqual({
      status: 'ok',
      info: {},
      error: {},
      details: {},
    });
    const ready = await request(app.getHttpServer()).get('/health/ready').expect(200);
    expect(ready.body.details.cassandra.connectedHosts).toBeGreaterThanOrEqual(1);
  });

  it('answers 503 with the failed check when Cassandra cannot serve the keyspace', async () => {
    await keyspace.admin.execute(`DROP TABLE ${keyspace.config.keyspace}.schema_migrations`);
    const response = await request(app.getHttpServer()).get('/health/ready').expect(503);
    expect(response.body).toMatchObject({ status: 'error', error: { cassandra: { status: 'down' } } });
  });

  it('answers a path no route matches with a problem+json 404, a double leading slash included', async () => {
    for (const url of ['/nothing', '/health/nothing', '//health/live', '//api/v1/assets', '/docs/nothing']) {
      const response = await request(app.getHttpServer()).get(url).expect(404);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(response.text)).toEqual({
        type: '/problems/not-found',
        title: 'Not found',
        status: 404,
        detail: `Cannot GET ${url}`,
      });
    }
  });

  it('sends the security headers and no X-Powered-By', async () => {
    const response = await request(app.getHttpServer()).get('/health/live').expect(200);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  it('refuses to build with a bad variable, naming it', async () => {
    process.env.READ_CONSISTENCY = 'QUORUMM';
    try {
      await expect(createApp()).rejects.toThrow(InvalidConfigError);
      await expect(createApp()).rejects.toThrow(/READ_CONSISTENCY must be one of .*LOCAL_QUORUM.* \(got "QUORUMM"\)/);
    } finally {
      delete process.env.READ_CONSISTENCY;
    }
  });
});

describe("the ingestor's /metrics, protected as the API's", () => {
  const clients = writeApiKeysFile({ scraper: ['read:metrics'], reader: ['read:data'] });
  let keyspace: Keyspace;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    keyspace = await migratedKeyspace('e2e_ingestor_metrics');
  });

  afterAll(async () => {
    await keyspace.drop();
    process.env = savedEnv;
  });

  async function ingestorWith(env: Record<string, string>): Promise<INestApplication> {
    process.env = { ...savedEnv, CASSANDRA_KEYSPACE: keyspace.config.keyspace, JOBS_ENABLED: 'false', ...env };
    const app = await createIngestorApp();
    await app.listen(0, '127.0.0.1');
    return app;
  }

  it('asks for the read:metrics scope, answering 401 and 403 as problem+json; health stays open', async () => {
    const app = await ingestorWith({ AUTH_API_KEYS_FILE: clients.file });
    try {
      const anonymous = await request(app.getHttpServer()).get('/metrics').expect(401);
      expect(anonymous.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(anonymous.headers['www-authenticate']).toBe('Bearer realm="market-warehouse"');
      expect(JSON.parse(anonymous.text)).toMatchObject({ status: 401, type: '/problems/unauthorized' });
      const reader = await request(app.getHttpServer()).get('/metrics').set('X-API-Key', clients.keys.reader);
      expect(reader.status).toBe(403);
      expect(JSON.parse(reader.text)).toMatchObject({
        status: 403,
        detail: 'the credentials lack the scope read:metrics',
      });
      const scraper = await request(app.getHttpServer()).get('/metrics').set('X-API-Key', clients.keys.scraper);
      expect(scraper.status).toBe(200);
      expect(scraper.text).toContain('# TYPE http_request_duration_seconds histogram');
      await request(app.getHttpServer()).get('/health/live').expect(200);
    } finally {
      await app.close();
    }
  });

  it('answers /metrics without credentials when AUTH_OPEN_ENDPOINTS lists it', async () => {
    const app = await ingestorWith({ AUTH_API_KEYS_FILE: clients.file, AUTH_OPEN_ENDPOINTS: 'health,metrics' });
    try {
      await request(app.getHttpServer()).get('/metrics').expect(200);
    } finally {
      await app.close();
    }
  });
});

describe('start-up with bad configuration', () => {
  it.each([
    ['apps/api/src/main.ts', 'API'],
    ['apps/ingestor/src/main.ts', 'ingestor'],
  ])(
    '%s exits 1 with one message naming every bad variable',
    (entry, label) => {
      const result = runEntryPoint(entry, {
        READ_CONSISTENCY: 'QUORUMM',
        PAGE_SIZE: '-1',
        CASSANDRA_CONTACT_POINTS: 'bad:host:1',
      });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(`${label} failed to start: Invalid configuration:`);
      expect(result.stderr).toContain(
        'READ_CONSISTENCY must be one of ANY, ONE, TWO, THREE, QUORUM, ALL, LOCAL_QUORUM',
      );
      expect(result.stderr).toContain('PAGE_SIZE must be an integer between 1 and 10000 (got "-1")');
      expect(result.stderr).toContain('CASSANDRA_CONTACT_POINTS must be a comma-separated list of host[:port]');
      expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    },
    START_UP_TEST_MS,
  );

  it(
    'the ingestor worker refuses to start with auth on (the default) and no key source',
    () => {
      const unconfigured = runEntryPoint('apps/ingestor/src/main.ts', {});
      expect(unconfigured.status).toBe(1);
      expect(unconfigured.stderr).toContain('ingestor failed to start: Invalid configuration:');
      expect(unconfigured.stderr).toContain('AUTH_ENABLED is true (the default) but no credentials are configured');
    },
    START_UP_TEST_MS,
  );

  it(
    'the API refuses to start with auth on (the default) and no key source, and never echoes a secret',
    () => {
      const unconfigured = runEntryPoint('apps/api/src/main.ts', {});
      expect(unconfigured.status).toBe(1);
      expect(unconfigured.stderr).toContain(
        'AUTH_ENABLED is true (the default) but no credentials are configured: set AUTH_JWT_SECRET',
      );
      const shortSecret = runEntryPoint('apps/api/src/main.ts', { AUTH_JWT_SECRET: 'hunter2-too-short' });
      expect(shortSecret.status).toBe(1);
      expect(shortSecret.stderr).toContain('AUTH_JWT_SECRET must be at least 32 characters (value hidden)');
      expect(shortSecret.stderr).not.toContain('hunter2');
    },
    START_UP_TEST_MS,
  );
});
