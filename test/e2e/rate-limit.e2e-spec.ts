import request from 'supertest';
import { type RunningApi, startApi } from '../support/api-app';
import { writeApiKeysFile } from '../support/api-keys-file';
import { seedSeries, sessionMinutes } from '../support/seed';

const BUDGET = 3;

/**
 * Spellings of one route that the router serves (it matches case-insensitively, with or
 * without a trailing slash, and decodes parameters): each must count against the budget.
 */
const PATH_VARIANTS = [
  '/api/v1/assets/AAPL',
  '/API/v1/assets/AAPL',
  '/api/V1/Assets/AAPL',
  '/api/v1/assets/AAPL/',
  '/api/v1/assets/%41APL',
  '/api/v1/assets/AAPL?',
];

const clients = writeApiKeysFile(
  Object.fromEntries(PATH_VARIANTS.map((_, index) => [`client${index}`, ['read:assets', 'read:data'] as const])),
);

function keyOf(index: number): string {
  const key = clients.keys[`client${index}`];
  if (key === undefined) throw new Error(`no key for client${index}`);
  return key;
}

describe('rate limit: decided by the matched route, whatever the spelling of the path', () => {
  let api: RunningApi;

  beforeAll(async () => {
    api = await startApi('e2e_rate', {
      AUTH_ENABLED: 'true',
      AUTH_API_KEYS_FILE: clients.file,
      RATE_LIMIT_PER_MINUTE: String(BUDGET),
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

  it.each(PATH_VARIANTS.map((path, index) => [path, index] as const))(
    'answers 429 after the budget for %s',
    async (path, index) => {
      const server = api.app.getHttpServer();
      const statuses: number[] = [];
      for (let attempt = 0; attempt <= BUDGET; attempt += 1) {
        statuses.push((await request(server).get(path).set('X-API-Key', keyOf(index))).status);
      }
      expect(statuses).toEqual([...Array<number>(BUDGET).fill(200), 429]);
    },
  );

  it.each(['/api/v1//assets/AAPL', '/api//v1/assets/AAPL', '/%61pi/v1/assets/AAPL', '/api/v1/%61ssets/AAPL'])(
    'serves nothing for %s, a spelling the router does not match',
    async (path) => {
      await request(api.app.getHttpServer()).get(path).set('X-API-Key', keyOf(1)).expect(404);
    },
  );

  it('counts one budget per caller across routes and spellings', async () => {
    const server = api.app.getHttpServer();
    const key = keyOf(0);
    // client0's budget was spent above on /api/v1/assets/AAPL; another route is refused too.
    const response = await request(server).get('/API/V1/SOURCES').set('X-API-Key', key);
    expect(response.status).toBe(429);
    expect(response.headers['retry-after']).toMatch(/^\d+$/);
    expect(JSON.parse(response.text)).toMatchObject({
      type: '/problems/too-many-requests',
      detail: expect.stringMatching(/^the rate limit of this caller is spent/),
    });
  });
});

describe('rate limit: failed authentication per client address', () => {
  const FAILURE_BUDGET = 5;
  let api: RunningApi;

  beforeAll(async () => {
    api = await startApi('e2e_rate_auth', {
      AUTH_ENABLED: 'true',
      AUTH_API_KEYS_FILE: clients.file,
      AUTH_OPEN_ENDPOINTS: 'none',
      RATE_LIMIT_PER_MINUTE: '100',
      RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: String(FAILURE_BUDGET),
    });
  });

  afterAll(async () => {
    await api.close();
  });

  it('answers 429 with Retry-After once an address has spent its budget of failures, for wrong keys and for none', async () => {
    const server = api.app.getHttpServer();
    const statuses: number[] = [];
    for (let attempt = 0; attempt <= FAILURE_BUDGET; attempt += 1) {
      statuses.push((await request(server).get('/api/v1/sources').set('X-API-Key', `mwk_guess${attempt}`)).status);
    }
    expect(statuses).toEqual([...Array<number>(FAILURE_BUDGET).fill(401), 429]);

    const guessed = await request(server).get('/API/v1/assets').set('X-API-Key', 'mwk_another-guess');
    expect(guessed.status).toBe(429);
    expect(guessed.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(guessed.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(guessed.text)).toMatchObject({
      type: '/problems/too-many-requests',
      status: 429,
      detail: expect.stringMatching(/too many failed authentication attempts from this address/),
    });
    await request(server).get('/api/v1/sources').expect(429);
    await request(server).get('/api/v1/sources').set('Authorization', 'Bearer not.a.jwt').expect(429);
    await request(server).get('/docs-json').set('X-API-Key', 'mwk_docs-guess').expect(429);
  });

  it('still serves a valid key from the same address, within its own budget', async () => {
    const server = api.app.getHttpServer();
    await request(server).get('/api/v1/sources').set('X-API-Key', keyOf(0)).expect(200);
    await request(server).get('/docs-json').set('X-API-Key', keyOf(0)).expect(200);
  });
});
