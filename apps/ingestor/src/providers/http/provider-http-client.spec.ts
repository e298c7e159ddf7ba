import {
  ProviderAuthError,
  ProviderPayloadError,
  ProviderRateLimitError,
  ProviderUnavailableError,
} from '../provider-errors';
import { FakePriceServer } from '../../../../../test/support/fake-price-server';
import { ProviderHttpClient, type ProviderHttpClientOptions, parseRetryAfter } from './provider-http-client';

const scope = {
  providerId: 'acme',
  symbol: 'AAPL',
  interval: '1m' as const,
  from: new Date('2025-08-01T00:00:00Z'),
  to: new Date('2025-08-02T00:00:00Z'),
};
const SCOPE_TEXT = 'acme AAPL 1m [2025-08-01T00:00:00.000Z, 2025-08-02T00:00:00.000Z)';
const NOW = Date.parse('2025-08-01T12:00:00Z');

describe('ProviderHttpClient', () => {
  let server: FakePriceServer;
  let sleeps: number[];

  beforeEach(async () => {
    server = await FakePriceServer.start();
    sleeps = [];
  });
  afterEach(() => server.stop());

  function client(overrides: Partial<ProviderHttpClientOptions> = {}): ProviderHttpClient {
    return new ProviderHttpClient({
      providerId: 'acme',
      timeoutMs: 2000,
      maxAttempts: 4,
      baseDelayMs: 100,
      maxDelayMs: 1000,
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
      now: () => NOW,
      random: () => 0.5,
      ...overrides,
    });
  }

  const readBody = (response: { body: string }) => response.body;
  const get = (http: ProviderHttpClient, signal?: AbortSignal) =>
    http.get(new URL('/prices?apikey=SECRET', server.baseUrl), scope, readBody, signal);

  it('returns the body of a successful response after one request', async () => {
    server.reply({ body: 'hello' });
    await expect(get(client())).resolves.toBe('hello');
    expect(server.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('retries 5xx with exponential backoff and full jitter, then succeeds', async () => {
    server.reply({ status: 500 }, { status: 502 }, { status: 503 }, { body: 'ok' });
    await expect(get(client())).resolves.toBe('ok');
    expect(server.requests).toHaveLength(4);
    // random() = 0.5 of the ceilings 100, 200, 400.
    expect(sleeps).toEqual([50, 100, 200]);
  });

  it('caps the backoff ceiling at maxDelayMs', async () => {
    server.reply({ status: 500 }, { status: 500 }, { status: 500 }, { status: 500 }, { body: 'ok' });
    await get(client({ maxAttempts: 5, baseDelayMs: 400, maxDelayMs: 1000, random: () => 0.999 }));
    expect(sleeps).toEqual([399, 799, 999, 999]);
  });

  it('gives up after maxAttempts with an unavailable error naming provider, symbol, window and attempts', async () => {
    server.answer(() => ({ status: 503, body: 'Service Unavailable' }));
    const failure = get(client({ maxAttempts: 3 }));
    await expect(failure).rejects.toBeInstanceOf(ProviderUnavailableError);
    await expect(failure).rejects.toThrow(`${SCOPE_TEXT}: HTTP 503: Service Unavailable (gave up after 3 attempts)`);
    expect(server.requests).toHaveLength(3);
  });

  it('waits exactly the Retry-After seconds of a 429 before retrying', async () => {
    server.reply({ status: 429, headers: { 'retry-after': '7' } }, { body: 'ok' });
    await expect(get(client())).resolves.toBe('ok');
    expect(sleeps).toEqual([7000]);
  });

  it('honours a Retry-After given as an HTTP date', async () => {
    const at = new Date(NOW + 12_000).toUTCString();
    server.reply({ status: 503, headers: { 'retry-after': at } }, { body: 'ok' });
    await expect(get(client())).resolves.toBe('ok');
    expect(sleeps).toEqual([12_000]);
  });

  it('treats a Binance-style 418 ban as a rate limit and fails at once when the wait exceeds the cap', async () => {
    server.reply({ status: 418, headers: { 'retry-after': '3600' }, body: '{"code":-1003,"msg":"banned"}' });
    const failure = get(client({ maxRetryAfterMs: 60_000 }));
    await expect(failure).rejects.toBeInstanceOf(ProviderRateLimitError);
    await expect(failure).rejects.toMatchObject({ retryAfterMs: 3_600_000 });
    await expect(failure).rejects.toThrow('asked to wait 3600 s');
    expect(server.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('gives up on persistent 429s with a rate-limit error carrying the last Retry-After', async () => {
    server.answer(() => ({ status: 429, headers: { 'retry-after': '1' }, body: 'Too Many Requests' }));
    const failure = get(client({ maxAttempts: 2 }));
    await expect(failure).rejects.toBeInstanceOf(ProviderRateLimitError);
    await expect(failure).rejects.toMatchObject({ retryAfterMs: 1000 });
    await expect(failure).rejects.toThrow(`${SCOPE_TEXT}: rate limited (HTTP 429: Too Many Requests)`);
    expect(sleeps).toEqual([1000]);
  });

  it.each([401, 403])('turns HTTP %i into one auth error without retrying', async (status) => {
    server.answer(() => ({ status, body: 'Invalid API key' }));
    const failure = get(client());
    await expect(failure).rejects.toBeInstanceOf(ProviderAuthError);
    await expect(failure).rejects.toThrow(`${SCOPE_TEXT}: credentials rejected (HTTP ${status}: Invalid API key)`);
    expect(server.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('never puts the URL (which may hold an API key) into an error message', async () => {
    server.answer(() => ({ status: 401 }));
    await expect(get(client())).rejects.not.toThrow(/SECRET|apikey|prices/);
  });

  it('times out a slow response, retries it, and reports the timeout', async () => {
    server.answer(() => ({ delayMs: 1000, body: 'late' }));
    const started = Date.now();
    const failure = get(client({ timeoutMs: 40, maxAttempts: 2 }));
    await expect(failure).rejects.toBeInstanceOf(ProviderUnavailableError);
    await expect(failure).rejects.toThrow('no complete response within 40 ms (gave up after 2 attempts)');
    expect(server.requests).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('retries after a timeout and returns the answer that then arrives in time', async () => {
    server.reply({ delayMs: 1000, body: 'late' }, { body: 'on time' });
    await expect(get(client({ timeoutMs: 40 }))).resolves.toBe('on time');
  });

  it('retries a dropped connection as a network error', async () => {
    server.reply({ hangUp: true }, { body: 'ok' });
    await expect(get(client())).resolves.toBe('ok');
    expect(sleeps).toHaveLength(1);
  });

  it('reports a refused connection as unavailable with the system error code', async () => {
    const closed = await FakePriceServer.start();
    const url = new URL('/x', closed.baseUrl);
    await closed.stop();
    const failure = client({ maxAttempts: 1 }).get(url, scope, readBody);
    await expect(failure).rejects.toBeInstanceOf(ProviderUnavailableError);
    await expect(failure).rejects.toThrow(/network error: fetch failed \(ECONNREFUSED\)/);
  });

  it('retries when the reader finds a throttling body, honouring its retry hint', async () => {
    server.reply({ body: 'slow down' }, { body: 'data' });
    const result = client().get(new URL('/', server.baseUrl), scope, (response) => {
      if (response.body === 'slow down') throw new ProviderRateLimitError(scope, 'throttled', 60_000);
      return response.body;
    });
    await expect(result).resolves.toBe('data');
    expect(sleeps).toEqual([60_000]);
  });

  it('does not retry a payload error the reader throws', async () => {
    server.answer(() => ({ body: 'garbage' }));
    const result = client().get(new URL('/', server.baseUrl), scope, () => {
      throw new ProviderPayloadError(scope, 'unreadable');
    });
    await expect(result).rejects.toBeInstanceOf(ProviderPayloadError);
    expect(server.requests).toHaveLength(1);
  });

  it('hands other 4xx responses to the reader with their status', async () => {
    server.reply({ status: 404, body: '{"error":"Not Found"}' });
    const status = await client().get(new URL('/', server.baseUrl), scope, (response) => response.status);
    expect(status).toBe(404);
  });

  it("stops at once when the caller's signal aborts, with the signal's reason", async () => {
    server.answer(() => ({ delayMs: 1000, body: 'late' }));
    const controller = new AbortController();
    const failure = get(client({ timeoutMs: 5000 }), controller.signal);
    // Abort once the request is at the server (a fixed delay raced it on a loaded machine).
    while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort(new Error('shutting down'));
    await expect(failure).rejects.toThrow('shutting down');
    expect(server.requests).toHaveLength(1);
  });

  it('takes a token from the pacer before every attempt, retries included', async () => {
    server.reply({ status: 500 }, { body: 'ok' });
    let taken = 0;
    const pacer = { take: () => Promise.resolve(void (taken += 1)) };
    await get(client({ pacer }));
    expect(taken).toBe(2);
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates, and clamps a past date to zero', () => {
    expect(parseRetryAfter('120', NOW)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', NOW)).toBe(0);
    expect(parseRetryAfter(new Date(NOW + 5000).toUTCString(), NOW)).toBe(5000);
    expect(parseRetryAfter(new Date(NOW - 5000).toUTCString(), NOW)).toBe(0);
  });

  it('ignores an absent or unreadable header', () => {
    expect(parseRetryAfter(null, NOW)).toBeUndefined();
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
    expect(parseRetryAfter('-5', NOW)).toBeUndefined();
  });
});
