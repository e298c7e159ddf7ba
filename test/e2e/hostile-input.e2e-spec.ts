import type { Response } from 'supertest';
import { type RunningApi, startApi } from '../support/api-app';
import { seedSeries, sessionMinutes } from '../support/seed';

/** A 4xx with a problem body and nothing of the server's insides in it. */
function expectClientError(response: Response): void {
  expect(response.status).toBeGreaterThanOrEqual(400);
  expect(response.status).toBeLessThan(500);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.text).not.toMatch(/\bat .*\.(ts|js):\d+|ResponseError|NoHostAvailable|cassandra|CQL/i);
}

/**
 * Targeted hostile input (issue #7): what a fuzzer finds only by luck. Every answer is a
 * 4xx problem (or a 200 for input that is odd but legal), never a 5xx, a hang or a leak.
 */
describe('hostile input', () => {
  let api: RunningApi;

  beforeAll(async () => {
    api = await startApi('e2e_hostile');
    await seedSeries(
      api.app,
      'asset',
      'AAPL',
      sessionMinutes(['2025-08-01'], (index) => `${100 + index}.00`),
    );
  });

  afterAll(async () => {
    await api.close();
  });

  const raw = (path: string) => api.http.get(path);

  it.each([
    ['an SQL-style injection', encodeURIComponent("AAPL' OR 1=1 --")],
    ['a CQL comment and quote', encodeURIComponent("AAPL'; DROP TABLE assets; --")],
    ['unicode', encodeURIComponent('株式会社🚀')],
    ['a right-to-left override', encodeURIComponent('\u202eLPAA')],
    ['a NUL and other control characters', '%00%01%1B%7F'],
    ['invalid UTF-8', '%FF%FE'],
    ['a lone surrogate in UTF-8', '%ED%A0%80'],
    ['a malformed escape', '%E0%A4%A'],
    ['dot segments', '..%2F..%2Fetc%2Fpasswd'],
    ['a 2 KB id', 'A'.repeat(2048)],
  ])('answers a 4xx for an id with %s, on every route', async (_label, id) => {
    for (const path of [
      `/api/v1/assets/${id}`,
      `/api/v1/commodities/${id}`,
      `/api/v1/data/${id}?from=2025-08-01`,
      `/api/v1/commodities/${id}/data?from=2025-08-01`,
      `/api/v1/quotes/${id}/latest`,
    ]) {
      expectClientError(await raw(path));
    }
  });

  it('says which part did not decode, without echoing it', async () => {
    const response = await raw('/api/v1/assets/%FF%FE');
    expect(response.status).toBe(400);
    expect(JSON.parse(response.text)).toMatchObject({ detail: expect.stringMatching(/decode/i) });
  });

  it('answers 414 for a 10 KB id', async () => {
    const response = await raw(`/api/v1/data/${'A'.repeat(10_240)}?from=2025-08-01`);
    expect(response.status).toBe(414);
    expectClientError(response);
  });

  it.each([
    ['year 0', { from: '0000-01-01' }],
    ['year 99999', { from: '99999-01-01' }],
    ['an expanded year', { from: '+002025-08-01' }],
    ['a negative year', { from: '-000001-01-01' }],
    ['a leap second', { from: '2016-12-31T23:59:60Z' }],
    ['hour 24', { from: '2025-08-01T24:00:00Z' }],
    ['an offset beyond ±14:00', { from: '2025-08-01T00:00:00+25:00' }],
    ['February 29th of a common year', { from: '2025-02-29' }],
    ['a bare time', { from: '13:30' }],
    ['an epoch number', { from: '1754006400' }],
    ['an empty value', { from: '' }],
    ['a date with trailing garbage', { from: '2025-08-01junk' }],
    ['an over-long date', { from: `2025-08-01T00:00:00.${'9'.repeat(200)}Z` }],
  ])('answers 400 for %s', async (_label, query) => {
    const response = await raw('/api/v1/data/AAPL').query(query);
    expect(response.status).toBe(400);
    expectClientError(response);
  });

  it.each([
    ['a +14:00 offset', '2025-08-01T23:30:00+14:00', '2025-08-02T00:00:00+14:00'],
    ['a -12:00 offset', '2025-07-31T12:00:00-12:00', '2025-08-01T12:00:00-12:00'],
    ['the US spring-forward instant', '2025-03-09T01:59:59-05:00', '2025-03-09T03:00:00-04:00'],
    ['the US fall-back hour, both sides', '2025-11-02T01:30:00-04:00', '2025-11-02T01:30:00-05:00'],
    ['milliseconds', '2025-08-01T13:30:00.001Z', '2025-08-01T13:31:00.999Z'],
  ])('accepts %s and answers 200', async (_label, from, to) => {
    await raw('/api/v1/data/AAPL').query({ from, to }).expect(200);
  });

  it('reads a DST-edge range by its instants: offsets are honoured, not dropped', async () => {
    // 09:30 New York on 2025-08-01 is 13:30 UTC, the first bar seeded.
    const response = await raw('/api/v1/data/AAPL').query({
      from: '2025-08-01T09:30:00-04:00',
      to: '2025-08-01T09:31:00-04:00',
    });
    expect(response.status).toBe(200);
    expect(response.body.items.map((item: { ts: string }) => item.ts)).toEqual([
      '2025-08-01T13:30:00.000Z',
      '2025-08-01T13:31:00.000Z',
    ]);
  });

  it.each([
    ['a huge limit', '99999999999999999999999'],
    ['a negative limit', '-1'],
    ['a float limit', '1.5'],
    ['an exponent', '1e3'],
    ['hex', '0x10'],
    ['Infinity', 'Infinity'],
    ['NaN', 'NaN'],
    ['an empty limit', ''],
    ['a padded limit', ' 10 '],
  ])('answers 400 for %s', async (_label, limit) => {
    const response = await raw(`/api/v1/data/AAPL?from=2025-08-01&limit=${encodeURIComponent(limit)}`);
    expect(response.status).toBe(400);
    expectClientError(response);
  });

  it.each([
    ['a repeated from', '/api/v1/data/AAPL?from=2025-08-01&from=2025-08-02'],
    ['a repeated page_token', '/api/v1/data/AAPL?from=2025-08-01&page_token=a&page_token=b'],
    ['an array-style parameter', '/api/v1/data/AAPL?from[]=2025-08-01'],
    ['a nested object parameter', '/api/v1/data/AAPL?from[gt]=2025-08-01'],
    ['a prototype-pollution key', '/api/v1/data/AAPL?from=2025-08-01&__proto__[admin]=1'],
    ['a constructor key', '/api/v1/assets?constructor[prototype][x]=1'],
    ['a repeated catalog offset', '/api/v1/assets?offset=0&offset=5'],
  ])('answers 400 for %s', async (_label, path) => {
    const response = await raw(path);
    expect(response.status).toBe(400);
    expectClientError(response);
  });

  it('is not polluted by a prototype-pollution attempt', async () => {
    await raw('/api/v1/assets?__proto__[polluted]=yes');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
