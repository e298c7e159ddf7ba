import type { IncomingMessage, ServerResponse } from 'node:http';
import pinoHttp, { type Options } from 'pino-http';
import request from 'supertest';
import { loggerParams } from './logger-params';

/** A bare HTTP handler with the request logger in front, answering the status its path names. */
function loggedHandler() {
  const lines: string[] = [];
  const params = loggerParams({
    logLevel: 'info',
    service: 'unit',
    logDestination: { write: (line) => lines.push(line) },
  });
  if (!Array.isArray(params.pinoHttp)) throw new Error('expected options and a destination');
  const [options, destination] = params.pinoHttp as [Options, { write(line: string): void }];
  const logger = pinoHttp(options, destination);
  const seenKeys: unknown[] = [];
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    logger(req, res);
    // What the route behind the logger sees of the credential: the request's own headers.
    seenKeys.push(req.headers['x-api-key']);
    if (req.url?.includes('set-cookie') === true) res.setHeader('Set-Cookie', 'session=s3cret');
    res.statusCode = Number(/\/status\/(\d{3})/.exec(req.url ?? '')?.[1] ?? 200);
    res.end();
  };
  const records = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { handler, records, seenKeys };
}

describe('loggerParams', () => {
  it('logs each request once, as JSON with service, ISO time, level name and request id', async () => {
    const { handler, records } = loggedHandler();
    const response = await request(handler).get('/status/200').set('X-Request-Id', 'unit-1');
    expect(response.headers['x-request-id']).toBe('unit-1');
    expect(records()).toEqual([
      expect.objectContaining({
        level: 'info',
        service: 'unit',
        reqId: 'unit-1',
        msg: 'request completed',
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      }),
    ]);
  });

  it('logs client errors at warn and server errors at error', async () => {
    const { handler, records } = loggedHandler();
    await request(handler).get('/status/404');
    await request(handler).get('/status/503');
    expect(records().map(({ level }) => level)).toEqual(['warn', 'error']);
  });

  it('does not log health probes and scrapes, yet gives them a request id', async () => {
    const { handler, records } = loggedHandler();
    for (const path of ['/health', '/health/live', '/health/ready', '/metrics']) {
      const response = await request(handler).get(path);
      expect(response.headers['x-request-id']).toEqual(expect.any(String));
    }
    expect(records()).toEqual([]);
  });

  it('censors credentials, cookies and page tokens', async () => {
    const { handler, records } = loggedHandler();
    await request(handler)
      .get('/status/400?page_token=s3cret&limit=5')
      .set('Authorization', 'Bearer s3cret')
      .set('Proxy-Authorization', 'Basic s3cret')
      .set('X-Api-Key', 's3cret')
      .set('Cookie', 'session=s3cret');
    const [record] = records();
    expect(record).toMatchObject({
      req: {
        url: '/status/400?page_token=[Redacted]&limit=5',
        headers: {
          authorization: '[Redacted]',
          'proxy-authorization': '[Redacted]',
          'x-api-key': '[Redacted]',
          cookie: '[Redacted]',
        },
      },
    });
    expect(JSON.stringify(records())).not.toContain('s3cret');
  });

  it("censors the cookie a response sets, and leaves the request's own headers to the route", async () => {
    const { handler, records, seenKeys } = loggedHandler();
    await request(handler).get('/status/200?set-cookie').set('X-Api-Key', 's3cret').set('Accept', 'text/plain');
    const [record] = records();
    expect(record).toMatchObject({
      req: { headers: { 'x-api-key': '[Redacted]', accept: 'text/plain' } },
      res: { headers: { 'set-cookie': '[Redacted]' } },
    });
    expect(JSON.stringify(records())).not.toContain('s3cret');
    expect(seenKeys).toEqual(['s3cret']);
  });

  it('writes to standard output when no destination is given', () => {
    expect(Array.isArray(loggerParams({ logLevel: 'warn', service: 'api' }).pinoHttp)).toBe(false);
  });
});
