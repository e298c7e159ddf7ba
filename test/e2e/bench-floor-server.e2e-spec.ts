import type { AddressInfo } from 'node:net';
import type http from 'node:http';
import { CassandraSession } from '@market/cassandra';
import { apiKeyHash } from '@market/auth';
import { createFloorServer } from '../../bench/read/floor-server';
import { type RunningApi, TEST_PAGE_TOKEN_SECRET, startApi } from '../support/api-app';
import { seedSeries, sessionMinutes } from '../support/seed';

const API_KEY = 'mwk_floor-test-key';

const PATH = '/api/v1/data/FLOOR?from=2025-08-01&to=2025-08-31&limit=300';

interface Page {
  readonly status: number;
  readonly text: string;
}

async function getPage(url: string, headers: Record<string, string> = { 'X-API-Key': API_KEY }): Promise<Page> {
  const response = await fetch(url, { headers });
  return { status: response.status, text: await response.text() };
}

function nextPageToken(page: Page): string | null {
  return (JSON.parse(page.text) as { next_page_token: string | null }).next_page_token;
}

/** The JSON text of every page of a range, following each server's own tokens. */
async function drain(base: string): Promise<string[]> {
  const pages: string[] = [];
  let token: string | null = null;
  do {
    const page = await getPage(`${base}${PATH}${token === null ? '' : `&page_token=${encodeURIComponent(token)}`}`);
    expect(page.status).toBe(200);
    pages.push(page.text);
    token = nextPageToken(page);
  } while (token !== null);
  return pages;
}

/** Tokens differ between the two (each carries its own expiry time): only whether there is one must match. */
function withTokenMasked(text: string): string {
  return text.replace(/"next_page_token":"[^"]+"/, '"next_page_token":"<token>"');
}

// bench:read's (d) is only a floor for (b) if it does the API's work: these pin that down.
describe('bench:read floor server against the API', () => {
  let api: RunningApi;
  let session: CassandraSession;
  let floor: http.Server;
  let apiBase: string;
  let floorBase: string;

  beforeAll(async () => {
    api = await startApi('e2e_floor');
    const bars = sessionMinutes(['2025-08-01', '2025-08-04'], (index) => `${(180 + index / 100).toFixed(2)}`);
    await seedSeries(api.app, 'asset', 'FLOOR', bars, { interval: '1m' });
    session = new CassandraSession(api.keyspace.config);
    await session.onModuleInit();
    floor = createFloorServer({ session, pageTokenSecret: TEST_PAGE_TOKEN_SECRET, apiKeySha256: apiKeyHash(API_KEY) });
    await new Promise<void>((resolve) => floor.listen(0, '127.0.0.1', resolve));
    apiBase = `http://127.0.0.1:${((api.app.getHttpServer() as http.Server).address() as AddressInfo).port}`;
    floorBase = `http://127.0.0.1:${(floor.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => floor.close(resolve));
    await session.onApplicationShutdown();
    await api.close();
  });

  it('serves the same JSON text as the API, page for page, apart from the tokens', async () => {
    const fromApi = await drain(apiBase);
    const fromFloor = await drain(floorBase);
    expect(fromApi).toHaveLength(3); // 780 bars in pages of 300
    expect(fromApi.flatMap((text) => (JSON.parse(text) as { items: unknown[] }).items)).toHaveLength(780);
    expect(fromFloor.map(withTokenMasked)).toEqual(fromApi.map(withTokenMasked));
  });

  it("serves a dashboard's first page of 100 as the API does, token aside", async () => {
    const firstPage = '/api/v1/data/FLOOR?from=2025-08-01&to=2025-08-31&limit=100';
    const [fromApi, fromFloor] = await Promise.all([
      getPage(`${apiBase}${firstPage}`),
      getPage(`${floorBase}${firstPage}`),
    ]);
    expect([fromApi.status, fromFloor.status]).toEqual([200, 200]);
    expect((JSON.parse(fromFloor.text) as { items: unknown[] }).items).toHaveLength(100);
    expect(withTokenMasked(fromFloor.text)).toBe(withTokenMasked(fromApi.text));
  });

  it('refuses a token it did not sign, and a caller without the key', async () => {
    const token = nextPageToken(await getPage(`${floorBase}${PATH}`)) ?? '';
    const forged = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    expect((await getPage(`${floorBase}${PATH}&page_token=${encodeURIComponent(forged)}`)).status).toBe(400);
    expect((await getPage(`${floorBase}${PATH}&page_token=${encodeURIComponent(token)}`)).status).toBe(200);
    expect((await getPage(`${floorBase}${PATH}`, {})).status).toBe(400);
  });
});
