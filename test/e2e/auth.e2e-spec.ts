import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exportJWK, exportSPKI, generateKeyPair, type JWTPayload, SignJWT, type CryptoKey } from 'jose';
import request from 'supertest';
import { type RunningApi, startApi } from '../support/api-app';
import { writeApiKeysFile } from '../support/api-keys-file';
import { freePort } from '../support/free-port';
import { seedSeries, sessionMinutes } from '../support/seed';

const JWT_SECRET = 'e2e-jwt-shared-secret-0123456789abcdef';
const ISSUER = 'https://idp.example.test/';
const AUDIENCE = 'market-warehouse';
const RANGE = '/api/v1/data/AAPL?from=2025-08-01&to=2025-08-01&limit=2';

const clients = writeApiKeysFile({
  analyst: ['read:data', 'read:assets'],
  catalogue: ['read:assets'],
  prometheus: ['read:metrics'],
});

function hs256(claims: JWTPayload, secret = JWT_SECRET, expiresIn: string | number = '5m'): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(secret));
}

function signed(key: CryptoKey, alg: string, claims: JWTPayload, kid?: string): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg, ...(kid === undefined ? {} : { kid }) })
    .setExpirationTime('5m')
    .sign(key);
}

/** `alg: none`: an unsigned token, which no configuration may accept. */
function unsigned(claims: JWTPayload): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ ...claims, exp: Math.floor(Date.now() / 1000) + 300 })}.`;
}

function expectProblem(response: request.Response, status: number, detail: RegExp): void {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(JSON.parse(response.text)).toMatchObject({ status, detail: expect.stringMatching(detail) });
}

describe('auth: API keys and a shared-secret JWT', () => {
  let api: RunningApi;

  beforeAll(async () => {
    api = await startApi('e2e_auth', {
      AUTH_ENABLED: 'true',
      AUTH_API_KEYS_FILE: clients.file,
      AUTH_JWT_SECRET: JWT_SECRET,
      AUTH_JWT_ISSUER: ISSUER,
      AUTH_JWT_AUDIENCE: AUDIENCE,
    });
    await seedSeries(
      api.app,
      'asset',
      'AAPL',
      sessionMinutes(['2025-08-01'], (index) => `${200 + index}.25`),
    );
  });

  afterAll(async () => {
    await api.close();
  });

  it('answers 401 with a problem body and a bearer challenge when no credentials are sent', async () => {
    for (const url of ['/api/v1/assets', RANGE, '/api/v1/quotes/AAPL/latest', '/api/v1/sources']) {
      const response = await api.http.get(url);
      expectProblem(response, 401, /credentials are required/);
      expect(response.headers['www-authenticate']).toBe('Bearer realm="market-warehouse"');
    }
  });

  it('serves a client whose API key grants the scope', async () => {
    const range = await api.http.get(RANGE).set('X-API-Key', clients.keys.analyst).expect(200);
    expect(range.body.items).toHaveLength(2);
    await api.http.get('/api/v1/assets').set('X-API-Key', clients.keys.analyst).expect(200);
  });

  it('answers 403 naming the missing scope when the key lacks it', async () => {
    await api.http.get('/api/v1/assets/AAPL').set('X-API-Key', clients.keys.catalogue).expect(200);
    const response = await api.http.get(RANGE).set('X-API-Key', clients.keys.catalogue);
    expectProblem(response, 403, /lack the scope read:data/);
    expect(response.headers['www-authenticate']).toContain('error="insufficient_scope", scope="read:data"');
  });

  it.each([
    ['an unknown key', { 'X-API-Key': 'mwk_not-a-key-we-issued' }, /API key is not valid/],
    ['a blank key', { 'X-API-Key': ' ' }, /API key is not valid/],
    ['a Basic authorization', { Authorization: 'Basic dXNlcjpwYXNz' }, /must be "Bearer <token>"/],
    ['an empty bearer', { Authorization: 'Bearer ' }, /must be "Bearer <token>"/],
    ['a bearer that is no JWT', { Authorization: 'Bearer abc.def' }, /not a valid signed JWT/],
  ])('answers 401 for %s', async (_label, headers, detail) => {
    expectProblem(await api.http.get('/api/v1/assets').set(headers), 401, detail);
  });

  it('refuses a request that sends both a bearer token and an API key', async () => {
    const token = await hs256({ sub: 'svc', scope: 'read:assets' });
    const response = await api.http
      .get('/api/v1/assets')
      .set('Authorization', `Bearer ${token}`)
      .set('X-API-Key', clients.keys.analyst);
    expectProblem(response, 401, /not both/);
  });

  it('accepts a JWT with the scopes in `scope` or in `scp`', async () => {
    const spaced = await hs256({ sub: 'dashboard', scope: 'read:assets read:data' });
    await api.http.get(RANGE).set('Authorization', `Bearer ${spaced}`).expect(200);
    const listed = await hs256({ sub: 'svc', scp: ['read:data'] });
    await api.http.get(RANGE).set('Authorization', `bearer ${listed}`).expect(200);
    expectProblem(await api.http.get('/api/v1/assets').set('Authorization', `Bearer ${listed}`), 403, /read:assets/);
  });

  it.each([
    [
      'expired',
      () => hs256({ sub: 'a', scope: 'read:data' }, JWT_SECRET, Math.floor(Date.now() / 1000) - 120),
      /expired/,
    ],
    ['signed with another secret', () => hs256({ sub: 'a', scope: 'read:data' }, 'x'.repeat(40)), /not a valid/],
    [
      'unsigned (alg none)',
      () => Promise.resolve(unsigned({ sub: 'a', scope: 'read:data', iss: ISSUER, aud: AUDIENCE })),
      /algorithm|not a valid/,
    ],
    [
      'from another issuer',
      () =>
        new SignJWT({ sub: 'a', scope: 'read:data' })
          .setProtectedHeader({ alg: 'HS256' })
          .setIssuer('https://evil.test/')
          .setAudience(AUDIENCE)
          .setExpirationTime('5m')
          .sign(new TextEncoder().encode(JWT_SECRET)),
      /"iss" claim/,
    ],
    [
      'for another audience',
      () =>
        new SignJWT({ sub: 'a', scope: 'read:data' })
          .setProtectedHeader({ alg: 'HS256' })
          .setIssuer(ISSUER)
          .setAudience('other-api')
          .setExpirationTime('5m')
          .sign(new TextEncoder().encode(JWT_SECRET)),
      /"aud" claim/,
    ],
    ['without a subject', () => hs256({ scope: 'read:data' }), /names no subject/],
  ])('answers 401 with error="invalid_token" for a JWT %s', async (_label, token, detail) => {
    const response = await api.http.get(RANGE).set('Authorization', `Bearer ${await token()}`);
    expectProblem(response, 401, detail);
    expect(response.headers['www-authenticate']).toContain('error="invalid_token"');
  });

  it('leaves health and docs open by default and guards metrics with read:metrics', async () => {
    await api.http.get('/health/live').expect(200);
    await request(api.app.getHttpServer()).get('/docs-json').expect(200);
    const anonymous = await request(api.app.getHttpServer()).get('/metrics');
    expectProblem(anonymous, 401, /credentials are required/);
    expectProblem(
      await request(api.app.getHttpServer()).get('/metrics').set('X-API-Key', clients.keys.analyst),
      403,
      /read:metrics/,
    );
    const scraped = await request(api.app.getHttpServer()).get('/metrics').set('X-API-Key', clients.keys.prometheus);
    expect(scraped.status).toBe(200);
    expect(scraped.text).toContain('http_request_duration_seconds');
  });
});

describe('auth: closed infrastructure endpoints and a per-caller rate limit', () => {
  let api: RunningApi;

  beforeAll(async () => {
    api = await startApi('e2e_auth_closed', {
      AUTH_ENABLED: 'true',
      AUTH_API_KEYS_FILE: clients.file,
      AUTH_OPEN_ENDPOINTS: 'none',
      RATE_LIMIT_PER_MINUTE: '3',
    });
  });

  afterAll(async () => {
    await api.close();
  });

  it('asks credentials for health and for the OpenAPI document when they are not listed as open', async () => {
    const server = api.app.getHttpServer();
    expectProblem(await request(server).get('/health/live'), 401, /credentials are required/);
    expectProblem(await request(server).get('/docs-json'), 401, /API documentation/);
    expectProblem(await request(server).get('/docs/'), 401, /API documentation/);
    expectProblem(await request(server).get('/docs-json').set('X-API-Key', 'mwk_wrong'), 401, /not valid/);
    await request(server).get('/health/live').set('X-API-Key', clients.keys.catalogue).expect(200);
    const document = await request(server).get('/docs-json').set('X-API-Key', clients.keys.catalogue).expect(200);
    expect(document.body.components.securitySchemes).toMatchObject({
      bearer: { type: 'http', scheme: 'bearer' },
      api_key: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
    });
  });

  it('counts the rate limit per caller, not per address', async () => {
    const statuses = async (key: string) => {
      const seen: number[] = [];
      for (let attempt = 0; attempt < 4; attempt += 1) {
        seen.push((await api.http.get('/api/v1/sources').set('X-API-Key', key)).status);
      }
      return seen;
    };
    expect(await statuses(clients.keys.catalogue)).toEqual([200, 200, 200, 429]);
    // Same address, another caller: a budget of its own.
    expect(await statuses(clients.keys.analyst)).toEqual([200, 200, 200, 429]);
  });
});

describe('auth: JWTs verified with a public key file and with a JWKS URL', () => {
  let rsa: Awaited<ReturnType<typeof generateKeyPair>>;
  let ec: Awaited<ReturnType<typeof generateKeyPair>>;
  let publicKeyApi: RunningApi;
  let jwksApi: RunningApi;
  let deadJwksApi: RunningApi;
  let jwksServer: Server;
  let jwksRequests = 0;

  beforeAll(async () => {
    rsa = await generateKeyPair('RS256', { extractable: true });
    ec = await generateKeyPair('ES256', { extractable: true });
    const pemFile = path.join(mkdtempSync(path.join(tmpdir(), 'market-jwt-')), 'public.pem');
    writeFileSync(pemFile, await exportSPKI(rsa.publicKey));

    const jwks = JSON.stringify({
      keys: [{ ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' }],
    });
    jwksServer = createServer((_request, response) => {
      jwksRequests += 1;
      response.writeHead(200, { 'Content-Type': 'application/json' }).end(jwks);
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    const { port } = jwksServer.address() as AddressInfo;

    publicKeyApi = await startApi('e2e_auth_pem', { AUTH_ENABLED: 'true', AUTH_JWT_PUBLIC_KEY_FILE: pemFile });
    jwksApi = await startApi(
      'unused',
      { AUTH_ENABLED: 'true', AUTH_JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json` },
      publicKeyApi,
    );
    // A loopback port that was free a moment ago: every key set fetch is refused at once.
    const closedPort = await freePort();
    deadJwksApi = await startApi(
      'unused',
      { AUTH_ENABLED: 'true', AUTH_JWKS_URL: `http://127.0.0.1:${closedPort}/jwks.json`, RETRY_AFTER_SECONDS: '11' },
      publicKeyApi,
    );
  });

  afterAll(async () => {
    await jwksApi.close();
    await deadJwksApi.close();
    await publicKeyApi.close();
    await new Promise((resolve) => jwksServer.close(resolve));
  });

  it('accepts an RS256 token signed by the configured key pair', async () => {
    const token = await signed(rsa.privateKey, 'RS256', { sub: 'svc', scope: 'read:assets' });
    await publicKeyApi.http.get('/api/v1/sources').set('Authorization', `Bearer ${token}`).expect(200);
  });

  it('refuses an HS256 token "signed" with the public key (algorithm confusion)', async () => {
    const pem = await exportSPKI(rsa.publicKey);
    const forged = await new SignJWT({ sub: 'mallory', scope: 'read:assets' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(pem));
    expectProblem(
      await publicKeyApi.http.get('/api/v1/sources').set('Authorization', `Bearer ${forged}`),
      401,
      /algorithm that is not accepted/,
    );
  });

  it('verifies with the JWKS, fetching it once, and refuses an unknown key id', async () => {
    const token = await signed(ec.privateKey, 'ES256', { sub: 'svc', scope: 'read:assets' }, 'ec-1');
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await jwksApi.http.get('/api/v1/sources').set('Authorization', `Bearer ${token}`).expect(200);
    }
    expect(jwksRequests).toBe(1);
    const stranger = await generateKeyPair('ES256');
    const foreign = await signed(stranger.privateKey, 'ES256', { sub: 'svc', scope: 'read:assets' }, 'ec-2');
    expectProblem(
      await jwksApi.http.get('/api/v1/sources').set('Authorization', `Bearer ${foreign}`),
      401,
      /unknown key/,
    );
  });

  it('answers 503 with Retry-After, not 401, when the key set cannot be fetched', async () => {
    const token = await signed(ec.privateKey, 'ES256', { sub: 'svc', scope: 'read:assets' }, 'ec-1');
    const response = await deadJwksApi.http.get('/api/v1/sources').set('Authorization', `Bearer ${token}`);
    expectProblem(response, 503, /signing keys cannot be fetched/);
    expect(response.headers['retry-after']).toBe('11');
  });
});
