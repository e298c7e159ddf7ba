import { Test } from '@nestjs/testing';
import type { ConfigType } from '@nestjs/config';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { setTimeout as sleep } from 'node:timers/promises';
import { SignJWT } from 'jose';
import { Logger } from 'nestjs-pino';
import type { ObservabilityOptions } from '@market/observability';
import { OBSERVABILITY_OPTIONS } from '@market/observability/observability.module-definition';
import { AppModule } from '../../apps/api/src/app.module';
import { apiConfig } from '../../apps/api/src/config/api.config';
import { configureApiApp } from '../../apps/api/src/main';
import { TEST_PAGE_TOKEN_SECRET } from '../support/api-app';
import { writeApiKeysFile } from '../support/api-keys-file';
import { migratedKeyspace } from '../support/test-keyspace';

const JWT_SECRET = 'log-redaction-jwt-secret-0123456789abcdef';

/**
 * Credentials planted where no name-based rule expects them (unusual query parameters, a
 * custom header, the path itself), then the API's log — every line pino writes while the
 * app serves real HTTP requests — is searched for them.
 */
describe('logs of the running API never carry a credential, wherever the client put it', () => {
  const clients = writeApiKeysFile({ planted: ['read:assets'] });
  const key = clients.keys.planted;
  const logLines: string[] = [];
  const options: ObservabilityOptions = {
    logLevel: 'info',
    service: 'api',
    logDestination: { write: (line: string) => void logLines.push(line) },
  };
  const savedEnv = { ...process.env };
  let jwt: string;
  let keyspace: Awaited<ReturnType<typeof migratedKeyspace>>;
  let app: NestExpressApplication;
  let base: string;

  beforeAll(async () => {
    jwt = await new SignJWT({ scope: 'read:assets' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('planted')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(JWT_SECRET));
    keyspace = await migratedKeyspace('e2e_logs');
    Object.assign(process.env, {
      AUTH_ENABLED: 'true',
      AUTH_API_KEYS_FILE: clients.file,
      AUTH_JWT_SECRET: JWT_SECRET,
      PAGE_TOKEN_SECRET: TEST_PAGE_TOKEN_SECRET,
      CASSANDRA_KEYSPACE: keyspace.config.keyspace,
    });
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
      .overrideProvider(OBSERVABILITY_OPTIONS)
      .useValue(options)
      .compile();
    app = moduleRef.createNestApplication<NestExpressApplication>({ bufferLogs: true });
    configureApiApp(app, app.get<ConfigType<typeof apiConfig>>(apiConfig.KEY));
    app.useLogger(app.get(Logger));
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
  });

  afterAll(async () => {
    await app.close();
    await keyspace.drop();
    process.env = savedEnv;
  });

  it('redacts a planted API key and JWT from url, query and headers of every line', async () => {
    const planted = [
      `/api/v1/assets?x-api-key=${key}`,
      `/api/v1/assets?key=${key}&jwt=${jwt}`,
      `/api/v1/assets?q=${encodeURIComponent(key)}&note=${jwt}`,
      `/api/v1/assets/${key}`,
      `/api/v1/assets/${jwt}`,
    ];
    for (const url of planted) {
      await fetch(`${base}${url}`, {
        headers: { 'X-API-Key': key, 'X-Forwarded-Token': jwt, 'X-Client-Note': `key ${key}` },
      });
    }
    await fetch(`${base}/api/v1/assets`, { headers: { Authorization: `Bearer ${jwt}`, 'X-Backup-Key': key } });
    await sleep(100); // the last response may be logged just after it is sent
    const log = logLines.join('');

    const lines = logLines.filter((line) => line.includes('"req"'));
    expect(lines.length).toBeGreaterThanOrEqual(planted.length + 1);
    expect(log).not.toContain(key);
    expect(log).not.toContain(key.slice(4)); // the random part alone
    expect(log).not.toContain(jwt);
    expect(log).not.toContain(jwt.split('.')[2]); // the signature alone
    const records = lines.map((line) => JSON.parse(line) as { req: { url: string; query?: unknown; headers: object } });
    expect(records.map(({ req }) => req.url)).toEqual(
      expect.arrayContaining([
        '/api/v1/assets?x-api-key=[Redacted]',
        '/api/v1/assets?key=[Redacted]&jwt=[Redacted]',
        '/api/v1/assets/[Redacted]',
      ]),
    );
    expect(records.map(({ req }) => req.query)).toEqual(
      expect.arrayContaining([
        { 'x-api-key': '[Redacted]' },
        { key: '[Redacted]', jwt: '[Redacted]' },
        { q: '[Redacted]', note: '[Redacted]' },
      ]),
    );
    expect(records.map(({ req }) => req.headers)).toContainEqual(
      expect.objectContaining({ 'x-forwarded-token': '[Redacted]', 'x-client-note': 'key [Redacted]' }),
    );
  });
});
