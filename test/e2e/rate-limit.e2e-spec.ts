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
  });
});
