import express from 'express';
import request from 'supertest';
import { securityHeaders } from './security-headers';

/** An Express app that trusts X-Forwarded-Proto, so a test can say "this arrived over TLS". */
function appBehindTlsProxy(): express.Express {
  const app = express();
  app.set('trust proxy', true);
  app.use(securityHeaders());
  app.get('/docs', (_request, response) => {
    response.send('<html></html>');
  });
  return app;
}

describe('securityHeaders', () => {
  it('sends no TLS-only header on plain HTTP: no upgrade-insecure-requests, HSTS or COOP', async () => {
    const response = await request(appBehindTlsProxy()).get('/docs').expect(200);
    const csp = response.headers['content-security-policy'];
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(response.headers['strict-transport-security']).toBeUndefined();
    expect(response.headers['cross-origin-opener-policy']).toBeUndefined();
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  it("sends helmet's full defaults on a request that arrived over TLS", async () => {
    const response = await request(appBehindTlsProxy()).get('/docs').set('X-Forwarded-Proto', 'https').expect(200);
    expect(response.headers['content-security-policy']).toContain('upgrade-insecure-requests');
    expect(response.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
    expect(response.headers['cross-origin-opener-policy']).toBe('same-origin');
  });
});
