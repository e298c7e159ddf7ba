import type { Response } from 'supertest';
import { encodePageToken } from '@market/cassandra';
import { type RunningApi, TEST_PAGE_TOKEN_SECRET, startApi } from '../support/api-app';
import { seedSeries, sessionMinutes } from '../support/seed';

function expectProblem(response: Response, status: number, detail: RegExp): void {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = JSON.parse(response.text) as { type: string; title: string; status: number; detail: string };
  expect(body).toEqual(
    expect.objectContaining({ type: expect.stringMatching(/^\/problems\//), title: expect.any(String), status }),
  );
  expect(body.detail).toMatch(detail);
  expect(response.text).not.toMatch(/\bat .*\.(ts|js):\d+|ResponseError|NoHostAvailable/);
}

describe('read API errors', () => {
  let api: RunningApi;
  const range = { from: '2025-08-01', to: '2025-08-31' };

  beforeAll(async () => {
    api = await startApi('e2e_errors', { RANGE_CAP_POINTS: '1000', PAGE_TOKEN_TTL_SECONDS: '60' });
    await seedSeries(
      api.app,
      'asset',
      'AAPL',
      sessionMinutes(['2025-08-01'], (index) => `${100 + index}.00`),
    );
    await seedSeries(
      api.app,
      'asset',
      'MSFT',
      sessionMinutes(['2025-08-01'], (index) => `${200 + index}.00`),
    );
  });

  afterAll(async () => {
    await api.close();
  });

  const data = (query: Record<string, string | number>, asset = 'AAPL') =>
    api.http.get(`/api/v1/data/${asset}`).query(query);
  const firstToken = async () =>
    ((await data({ ...range, limit: 10 }).expect(200)).body as { next_page_token: string }).next_page_token;

  it.each([
    [{ from: 'yesterday' }, /'from' must be an ISO-8601 date/],
    [{ from: '2025-02-30' }, /'from' is not a real calendar date/],
    [{ from: '0000-01-01' }, /years 1-9999/],
    [{ from: '2025-08-31', to: '2025-08-01' }, /'to' .* must not be before 'from'/],
    [{ ...range, limit: 0 }, /limit must not be less than 1/],
    [{ ...range, limit: 5001 }, /limit must not be greater than 5000/],
    [{ ...range, limit: 'ten' }, /limit must be an integer/],
    [{ ...range, limit: -5 }, /limit must not be less than 1/],
    [{ ...range, sort: 'up' }, /sort must be one of the following values: asc, desc/],
    [{ ...range, limt: 10 }, /property limt should not exist/],
  ])('answers 400 with a problem body for %j', async (query, detail) => {
    const response = await data(query);
    expectProblem(response, 400, detail);
  });

  it('answers 400 for repeated parameters', async () => {
    expectProblem(await api.http.get('/api/v1/data/AAPL?from=2025-08-01&limit=1&limit=2'), 400, /limit/);
  });

  it('answers 400 naming the cap when a request would read more base rows than it, whatever the span', async () => {
    const response = await data({ from: '2025-08-01', to: '2025-08-31', limit: 1001 });
    expectProblem(response, 400, /read up to 1001 base rows; the cap is 1000 rows per request \(RANGE_CAP_POINTS\)/);
    // A span of years is no longer refused: the read is clamped to the series' bars.
    await data({ from: '2000-01-01', to: '2099-12-31', limit: 1000 }).expect(200);
  });

  it('answers 400 for a tampered, truncated, garbage or foreign page token, never 500', async () => {
    const token = await firstToken();
    const flipped = `${token.slice(0, 20)}${token[20] === 'A' ? 'B' : 'A'}${token.slice(21)}`;
    const cases: Array<[Record<string, string | number>, string, RegExp]> = [
      [{ ...range, page_token: flipped }, 'AAPL', /altered|not a token/],
      [{ ...range, page_token: token.slice(0, token.length - 10) }, 'AAPL', /altered/],
      [{ ...range, page_token: 'garbage' }, 'AAPL', /not a token this API issued/],
      [{ ...range, page_token: '%%%.%%%.%%%' }, 'AAPL', /./],
      [{ ...range, page_token: token }, 'MSFT', /belongs to a different query/],
      [{ from: '2025-08-02', to: '2025-08-31', page_token: token }, 'AAPL', /belongs to a different query/],
      [{ ...range, sort: 'desc', page_token: token }, 'AAPL', /belongs to a different query/],
    ];
    for (const [query, asset, detail] of cases) {
      const response = await data(query, asset);
      expectProblem(response, 400, detail);
    }
  });

  it('answers 400 for an expired page token', async () => {
    const query = {
      kind: 'asset',
      id: 'AAPL',
      from: Date.parse('2025-08-01T00:00:00Z'),
      to: Date.parse('2025-08-31T23:59:59.999Z'),
      sort: 'asc' as const,
    };
    const expired = encodePageToken(
      query,
      { bucketIndex: 0, pageState: null, lastTs: null },
      { secret: TEST_PAGE_TOKEN_SECRET, expiresAt: Date.now() - 1 },
    );
    expectProblem(await data({ ...range, page_token: expired }), 400, /expired/);
  });

  it('answers 400 for a token whose bucket lies outside its query', async () => {
    const query = {
      kind: 'asset',
      id: 'AAPL',
      from: Date.parse('2025-08-01T00:00:00Z'),
      to: Date.parse('2025-08-31T23:59:59.999Z'),
      sort: 'asc' as const,
    };
    const outside = encodePageToken(
      query,
      { bucketIndex: 7, pageState: null, lastTs: null },
      { secret: TEST_PAGE_TOKEN_SECRET, expiresAt: Date.now() + 60_000 },
    );
    expectProblem(await data({ ...range, page_token: outside }), 400, /not a token this API issued/);
  });

  it('answers 404 for unknown assets, commodities, quotes and routes', async () => {
    const unknownData = await data(range, 'NOPE');
    expectProblem(unknownData, 404, /unknown asset "NOPE"/);
    expectProblem(await api.http.get('/api/v1/assets/NOPE'), 404, /unknown asset "NOPE"/);
    expectProblem(await api.http.get('/api/v1/commodities/nope/data?from=2025-08-01'), 404, /unknown commodity "nope"/);
    expectProblem(await api.http.get('/api/v1/commodities/nope'), 404, /unknown commodity/);
    expectProblem(await api.http.get('/api/v1/quotes/AAPL/latest'), 404, /no quote recorded for asset "AAPL"/);
    expectProblem(await api.http.get('/api/v1/nothing-here'), 404, /Cannot GET/);
    // No route matches a doubled slash: a problem body, not Express's HTML page, and never the route's answer.
    expectProblem(await api.http.get('//api/v1/assets/AAPL'), 404, /^Cannot GET \/\/api\/v1\/assets\/AAPL$/);
    expectProblem(await api.http.get('//api/v1/data/AAPL?from=2025-08-01'), 404, /^Cannot GET \/\/api\/v1\/data/);
    expectProblem(await api.http.get('/nothing-here'), 404, /^Cannot GET \/nothing-here$/);
  });

  it('answers 400 for catalog paging that mixes offset and page_token or goes out of range', async () => {
    const first = await api.http.get('/api/v1/assets?limit=1').expect(200);
    expectProblem(
      await api.http.get('/api/v1/assets').query({ offset: 1, page_token: first.body.next_page_token }),
      400,
      /either 'offset' or 'page_token'/,
    );
    expectProblem(await api.http.get('/api/v1/assets?limit=1001'), 400, /limit must not be greater than 1000/);
    expectProblem(await api.http.get('/api/v1/assets?offset=-1'), 400, /offset must not be less than 0/);
    expectProblem(await api.http.get('/api/v1/assets?page_token=abc'), 400, /not a token this API issued/);
    expectProblem(
      await api.http.get('/api/v1/commodities').query({ page_token: first.body.next_page_token }),
      400,
      /belongs to a different query/,
    );
  });
});

describe('read API when Cassandra cannot serve the consistency level', () => {
  let api: RunningApi;

  beforeAll(async () => {
    // One node cannot give TWO replicas: every read fails with Unavailable, as when two of three nodes are down.
    api = await startApi('e2e_unavailable', {
      READ_CONSISTENCY: 'TWO',
      RETRY_AFTER_SECONDS: '7',
      REQUEST_TIMEOUT_MS: '3000',
    });
  });

  afterAll(async () => {
    await api.close();
  });

  it('answers 503 with Retry-After within the request timeout, without driver details', async () => {
    const started = Date.now();
    const response = await api.http.get('/api/v1/data/AAPL?from=2025-08-01&to=2025-08-31');
    expect(Date.now() - started).toBeLessThan(3000 + 1000);
    expectProblem(response, 503, /cannot serve this request right now/);
    expect(response.headers['retry-after']).toBe('7');
    for (const path of ['/api/v1/assets', '/api/v1/assets/AAPL', '/api/v1/quotes/AAPL/latest', '/api/v1/sources']) {
      expectProblem(await api.http.get(path), 503, /cannot serve/);
    }
  });

  it('reports not ready on /health/ready', async () => {
    const response = await api.http.get('/health/ready').expect(503);
    expect(response.body.error.cassandra.status).toBe('down');
  });
});
