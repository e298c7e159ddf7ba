import { Controller, Get, type INestApplication, Logger as NestLogger, Param } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { MODULE_METADATA } from '@nestjs/common/constants';
import { Test } from '@nestjs/testing';
import { Logger } from 'nestjs-pino';
import request from 'supertest';
import { ObservabilityModule, type ObservabilityOptions } from '@market/observability';
import { OBSERVABILITY_OPTIONS } from '@market/observability/observability.module-definition';
import { AppModule } from '../../apps/api/src/app.module';
import { apiConfig } from '../../apps/api/src/config/api.config';
import { API_PREFIX, configureApiApp } from '../../apps/api/src/main';
import { createIngestorApp } from '../../apps/ingestor/src/main';
import { TEST_PAGE_TOKEN_SECRET } from '../support/api-app';
import { writeApiKeysFile } from '../support/api-keys-file';
import { seedSeries, sessionMinutes } from '../support/seed';
import { migratedKeyspace } from '../support/test-keyspace';
import type { NestExpressApplication } from '@nestjs/platform-express';

/** pino's destination in this test: every line it writes, in order. */
const logLines: string[] = [];
const OPTIONS: ObservabilityOptions = {
  logLevel: 'info',
  service: 'api',
  logDestination: { write: (line: string) => void logLines.push(line) },
};

type LogRecord = Record<string, unknown> & { reqId?: string; msg?: string };

function logRecords(): LogRecord[] {
  return logLines.map((line) => JSON.parse(line) as LogRecord);
}

/** Logs through Nest's Logger while a request is handled: the line must carry the request id. */
@Controller('probe')
class ProbeController {
  private readonly logger = new NestLogger('Probe');

  @Get(':probe_id')
  probe(@Param('probe_id') probeId: string): { probe_id: string } {
    this.logger.log(`probe ${probeId} handled`);
    return { probe_id: probeId };
  }
}

/** True once apps/api's AppModule imports ObservabilityModule itself (then only its options are replaced here). */
function appModuleIsObserved(): boolean {
  const imports = (Reflect.getMetadata(MODULE_METADATA.IMPORTS, AppModule) ?? []) as unknown[];
  return imports.some(
    (entry) =>
      entry === ObservabilityModule ||
      (typeof entry === 'object' && entry !== null && 'module' in entry && entry.module === ObservabilityModule),
  );
}

interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** The samples of a Prometheus text exposition (comments skipped). */
function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([A-Za-z_:][A-Za-z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (match === null) continue;
    const labels: Record<string, string> = {};
    for (const [, name, value] of (match[2] ?? '').matchAll(/([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      if (name !== undefined && value !== undefined) labels[name] = value;
    }
    samples.push({ name: match[1] ?? '', labels, value: Number(match[3]) });
  }
  return samples;
}

const CASSANDRA_FAMILIES = [
  'cassandra_request_duration_seconds',
  'cassandra_request_errors_total',
  'cassandra_hosts_up',
  'cassandra_hosts_known',
];
const INGEST_FAMILIES = [
  'ingest_rows_written_total',
  'ingest_rows_rejected_total',
  'provider_requests_total',
  'ingest_last_success_timestamp_seconds',
  'ingest_job_runs_total',
];

describe('observability of the API over real Cassandra', () => {
  let app: NestExpressApplication;
  let keyspace: Awaited<ReturnType<typeof migratedKeyspace>>;
  const savedEnv = { ...process.env };
  const range = 'from=2025-08-01&to=2025-08-01';

  async function scrape(): Promise<Sample[]> {
    const response = await get('/metrics').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return parseExposition(response.text);
  }

  function requestCount(samples: readonly Sample[], route: string, status: string): number {
    const sample = samples.find(
      ({ name, labels }) =>
        name === 'http_request_duration_seconds_count' &&
        labels.route === route &&
        labels.method === 'GET' &&
        labels.status === status,
    );
    return sample?.value ?? 0;
  }

  /** Every request as an authenticated client (auth is on, as in production). */
  const clients = writeApiKeysFile({ observer: ['read:data', 'read:assets', 'read:metrics'] });
  const get = (url: string) => request(app.getHttpServer()).get(url).set('X-API-Key', clients.keys.observer);

  beforeAll(async () => {
    keyspace = await migratedKeyspace('e2e_observability');
    Object.assign(process.env, {
      AUTH_API_KEYS_FILE: clients.file,
      AUTH_OPEN_ENDPOINTS: 'health,docs',
      PAGE_TOKEN_SECRET: TEST_PAGE_TOKEN_SECRET,
      CASSANDRA_KEYSPACE: keyspace.config.keyspace,
    });
    const observed = appModuleIsObserved();
    const builder = Test.createTestingModule({
      imports: observed ? [AppModule] : [AppModule, ObservabilityModule.forRoot(OPTIONS)],
      controllers: [ProbeController],
    });
    if (observed) builder.overrideProvider(OBSERVABILITY_OPTIONS).useValue(OPTIONS);
    const moduleRef = await builder.compile();
    app = moduleRef.createNestApplication<NestExpressApplication>({ bufferLogs: true });
    configureApiApp(app, app.get<ConfigType<typeof apiConfig>>(apiConfig.KEY));
    // What apps/api/src/main.ts must say: /metrics, like /health, outside the API's prefix.
    app.setGlobalPrefix(API_PREFIX, { exclude: ['health', 'health/{*path}', 'metrics'] });
    app.useLogger(app.get(Logger));
    await app.listen(0, '127.0.0.1');
    await seedSeries(
      app,
      'asset',
      'AAPL',
      sessionMinutes(['2025-08-01'], (index) => `${180 + index}.00`),
    );
  });

  afterAll(async () => {
    await app?.close();
    await keyspace.drop();
    process.env = savedEnv;
  });

  it('serves /metrics outside the API prefix, with the default process metrics', async () => {
    const names = new Set((await scrape()).map(({ name }) => name));
    expect(names).toContain('process_cpu_user_seconds_total');
    expect(names).toContain('nodejs_heap_size_used_bytes');
    await get(`/${API_PREFIX}/metrics`).expect(404);
  });

  it('counts real traffic under route templates, never raw paths', async () => {
    const before = await scrape();
    const http = { get };
    await http.get(`/${API_PREFIX}/data/AAPL?${range}&limit=5`).expect(200);
    await http.get(`/${API_PREFIX}/data/AAPL?${range}&limit=10`).expect(200);
    await http.get(`/${API_PREFIX}/data/NOSUCHASSET?${range}`).expect(404);
    await http.get(`/${API_PREFIX}/assets/AAPL`).expect(200);
    await http.get(`/${API_PREFIX}/no-such-route/42`).expect(404);
    await http.get('/health/live').expect(200);
    const after = await scrape();

    const moved = (route: string, status: string): number =>
      requestCount(after, route, status) - requestCount(before, route, status);
    expect(moved(`/${API_PREFIX}/data/:asset_id`, '200')).toBe(2);
    expect(moved(`/${API_PREFIX}/data/:asset_id`, '404')).toBe(1);
    expect(moved(`/${API_PREFIX}/assets/:asset_id`, '200')).toBe(1);
    expect(moved('unmatched', '404')).toBe(1);
    expect(moved('/health/live', '200')).toBe(1);

    const routes = new Set(after.flatMap(({ labels }) => (labels.route === undefined ? [] : [labels.route])));
    for (const route of routes) expect(route).not.toMatch(/AAPL|NOSUCHASSET|no-such-route|42/);
    const sum = after.find(
      ({ name, labels }) =>
        name === 'http_request_duration_seconds_sum' &&
        labels.route === `/${API_PREFIX}/data/:asset_id` &&
        labels.status === '200',
    );
    expect(sum?.value).toBeGreaterThan(0);
  });

  it('registers the Cassandra metrics the dashboards and alerts use, and no ingest families', async () => {
    const response = await get('/metrics').expect(200);
    for (const name of CASSANDRA_FAMILIES) expect(response.text).toContain(`# TYPE ${name} `);
    // Those belong to the ingestor: an API scrape with empty ingest_* families would mislead.
    for (const name of INGEST_FAMILIES) expect(response.text).not.toContain(`# TYPE ${name} `);
    expect(response.text).not.toMatch(/^# TYPE (ingest_|provider_)/m);
  });

  it('returns the caller X-Request-Id, and a fresh UUID when there is none or it is unfit', async () => {
    const http = { get };
    const given = await http.get(`/${API_PREFIX}/probe/p1`).set('X-Request-Id', 'e2e-req-42').expect(200);
    expect(given.headers['x-request-id']).toBe('e2e-req-42');
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    const fresh = await http.get(`/${API_PREFIX}/probe/p2`).expect(200);
    expect(fresh.headers['x-request-id']).toMatch(uuid);
    const unfit = await http.get(`/${API_PREFIX}/probe/p3`).set('X-Request-Id', 'two words').expect(200);
    expect(unfit.headers['x-request-id']).toMatch(uuid);
    const probe = await http.get('/health/live').set('X-Request-Id', 'e2e-probe-1').expect(200);
    expect(probe.headers['x-request-id']).toBe('e2e-probe-1');
  });

  it('logs JSON lines that carry the request id, from the request log and from app code', async () => {
    await get(`/${API_PREFIX}/probe/p4`).set('X-Request-Id', 'e2e-log-1').expect(200);
    const lines = logRecords().filter((record) => record.reqId === 'e2e-log-1');
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ level: 'info', service: 'api', context: 'Probe', msg: 'probe p4 handled' }),
        expect.objectContaining({
          level: 'info',
          service: 'api',
          msg: 'request completed',
          req: expect.objectContaining({ id: 'e2e-log-1', method: 'GET', url: `/${API_PREFIX}/probe/p4` }),
          res: expect.objectContaining({ statusCode: 200 }),
        }),
      ]),
    );
    for (const record of lines) expect(typeof record.time).toBe('string');
  });

  it('never logs credentials, cookies or page tokens, and names the caller instead', async () => {
    const response = await get(`/${API_PREFIX}/data/AAPL?${range}&page_token=s3cret-page-token`)
      .set('X-Request-Id', 'e2e-redact-1')
      .set('Cookie', 'session=s3cret-cookie')
      .expect(400);
    expect(response.body).toMatchObject({ type: '/problems/invalid-page-token' });

    const completed = logRecords().find((record) => record.reqId === 'e2e-redact-1' && 'req' in record);
    expect(completed).toMatchObject({
      level: 'warn',
      req: {
        url: `/${API_PREFIX}/data/AAPL?${range}&page_token=[Redacted]`,
        query: { page_token: '[Redacted]' },
        headers: { 'x-api-key': '[Redacted]', cookie: '[Redacted]' },
      },
      principal: 'api-key:observer',
    });

    await request(app.getHttpServer())
      .get(`/${API_PREFIX}/assets`)
      .set('X-Request-Id', 'e2e-redact-2')
      .set('Authorization', 'Bearer s3cret-bearer')
      .expect(401);
    const refused = logRecords().find((record) => record.reqId === 'e2e-redact-2' && 'req' in record);
    expect(refused).toMatchObject({ req: { headers: { authorization: '[Redacted]' } } });
    expect(refused).not.toHaveProperty('principal');
    expect(logLines.join('')).not.toContain('s3cret');
    expect(logLines.join('')).not.toContain(clients.keys.observer);
  });
});

// After the API's suite: built first, the ingestor app left the API's log assertions without
// their lines (nestjs-pino keeps process-wide logger state).
describe('observability of the ingestor over real Cassandra', () => {
  let app: INestApplication;
  let keyspace: Awaited<ReturnType<typeof migratedKeyspace>>;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    keyspace = await migratedKeyspace('e2e_observability_ingestor');
    // The worker's /metrics is protected as the API's is (test/e2e/apps-start covers that);
    // here it is open so that the families can be read.
    Object.assign(process.env, {
      CASSANDRA_KEYSPACE: keyspace.config.keyspace,
      JOBS_ENABLED: 'false',
      AUTH_ENABLED: 'false',
    });
    app = await createIngestorApp();
    await app.listen(0, '127.0.0.1');
  });

  afterAll(async () => {
    await app?.close();
    await keyspace.drop();
    process.env = savedEnv;
  });

  it('serves the ingest, provider, Cassandra and HTTP families the dashboards and alerts use', async () => {
    const response = await request(app.getHttpServer()).get('/metrics').expect(200);
    for (const name of [...INGEST_FAMILIES, ...CASSANDRA_FAMILIES, 'http_request_duration_seconds']) {
      expect(response.text).toContain(`# TYPE ${name} `);
    }
  });
});
