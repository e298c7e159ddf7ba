import request from 'supertest';
import { type RunningApi, startApi } from '../support/api-app';

describe('hardened HTTP', () => {
  let api: RunningApi;

  beforeAll(async () => {
    api = await startApi('e2e_hardening', {
      CORS_ORIGINS: 'https://dashboards.example.com',
      RATE_LIMIT_PER_MINUTE: '5',
      MAX_URL_LENGTH: '512',
    });
  });

  afterAll(async () => {
    await api.close();
  });

  it('sends security headers', async () => {
    const response = await api.http.get('/health/live').expect(200);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  it('sends no TLS-only header over plain HTTP, and trusts no X-Forwarded-Proto to say otherwise', async () => {
    for (const forwarded of [undefined, 'https']) {
      const docs = request(api.app.getHttpServer()).get('/docs');
      const response = await (forwarded === undefined ? docs : docs.set('X-Forwarded-Proto', forwarded)).expect(200);
      expect(response.headers['content-security-policy']).toContain("script-src 'self'");
      expect(response.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
      expect(response.headers['strict-transport-security']).toBeUndefined();
      expect(response.headers['cross-origin-opener-policy']).toBeUndefined();
    }
  });

  it('allows the configured browser origin and no other', async () => {
    const allowed = await api.http.get('/health/live').set('Origin', 'https://dashboards.example.com');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://dashboards.example.com');
    const other = await api.http.get('/health/live').set('Origin', 'https://evil.example.net');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers 405 with Allow for methods other than GET, HEAD and OPTIONS, on known and unknown paths', async () => {
    const server = api.app.getHttpServer();
    for (const send of [
      () => request(server).post('/api/v1/assets').send({ id: 'X' }),
      () => request(server).delete('/api/v1/assets/AAPL'),
      () => request(server).put('/health'),
      () => request(server).patch('/api/v1/nowhere'),
    ]) {
      const response = await send();
      expect(response.status).toBe(405);
      expect(response.headers.allow).toBe('GET, HEAD');
      expect(JSON.parse(response.text)).toMatchObject({ status: 405, type: '/problems/method-not-allowed' });
    }
    await request(server).head('/health/live').expect(200);
  });

  it('refuses an over-long URL with 414 and a problem body', async () => {
    const response = await api.http.get(`/api/v1/assets/${'A'.repeat(600)}`);
    expect(response.status).toBe(414);
    expect(JSON.parse(response.text)).toMatchObject({ status: 414, type: '/problems/uri-too-long' });
  });

  it('answers 429 with Retry-After once a client exceeds its rate, but never throttles health probes', async () => {
    const statuses: number[] = [];
    for (let request = 0; request < 7; request += 1) statuses.push((await api.http.get('/api/v1/sources')).status);
    // The 414 above counted too: it reached /api/.
    expect(statuses.filter((status) => status === 200).length).toBeLessThanOrEqual(5);
    const limited = await api.http.get('/api/v1/sources');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(JSON.parse(limited.text)).toMatchObject({
      status: 429,
      type: '/problems/too-many-requests',
      title: 'Too many requests',
    });
    for (let probe = 0; probe < 10; probe += 1) await api.http.get('/health/live').expect(200);
  });
});
