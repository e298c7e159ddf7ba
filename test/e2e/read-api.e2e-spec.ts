import { encodePageToken } from '@market/cassandra';
import { type RunningApi, TEST_PAGE_TOKEN_SECRET, startApi } from '../support/api-app';
import type { PricePointJson } from '../support/price-point-json';
import { seedSeries, sessionMinutes } from '../support/seed';

const AUGUST_DAYS = ['2025-08-01', '2025-08-04', '2025-08-05'];

interface PageBody {
  items: PricePointJson[];
  next_page_token: string | null;
}

describe('read API over real Cassandra', () => {
  let api: RunningApi;
  const aapl = sessionMinutes(AUGUST_DAYS, (index) => `${(180 + index / 100).toFixed(2)}`);

  beforeAll(async () => {
    api = await startApi('e2e_read');
    await seedSeries(api.app, 'asset', 'AAPL', aapl, { exchange: 'NASDAQ', interval: '1m' });
    await seedSeries(api.app, 'asset', 'EXACT', [
      {
        ts: new Date('2025-08-01T13:30:00Z'),
        price: '189.10',
        open: '189.00',
        high: '189.25',
        low: '188.95',
        volume: 12000,
        sourceId: 'yahoo',
      },
      { ts: new Date('2025-08-01T13:31:00Z'), price: '0.000123', sourceId: 'fred' },
      { ts: new Date('2025-08-01T13:32:00Z'), price: '123456789012345678901234567890.123456789', sourceId: 'x' },
    ]);
    await seedSeries(
      api.app,
      'commodity',
      'brent',
      [
        { ts: new Date('2025-08-29T00:00:00Z'), price: '67.48', sourceId: 'fred' },
        { ts: new Date('2025-09-01T00:00:00Z'), price: '68.15', sourceId: 'fred' },
      ],
      { interval: '1d' },
    );
    await api.keyspace.admin.execute(
      'INSERT INTO latest_quote_by_asset (asset_id, ts, price, open, high, low, volume, bucket, source_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ['AAPL', new Date('2025-08-05T19:59:00Z'), '191.69', '191.60', '191.70', '191.55', 2169, '2025-08', 'test'],
      { prepare: true },
    );
    await api.keyspace.admin.execute(
      'INSERT INTO data_sources (source_id, name, url, meta) VALUES (?, ?, ?, ?)',
      ['yahoo', 'Yahoo Finance chart API', 'https://query1.finance.yahoo.com', { format: 'chart v8 JSON' }],
      { prepare: true },
    );
  });

  afterAll(async () => {
    await api.close();
  });

  describe("the seed's demo (seed-design.md, section J)", () => {
    it('lists assets with limit=5&offset=0', async () => {
      const response = await api.http.get('/api/v1/assets?limit=5&offset=0').expect(200);
      expect(response.body.items.map((asset: { asset_id: string }) => asset.asset_id).sort()).toEqual([
        'AAPL',
        'EXACT',
      ]);
      expect(response.body.items.find((asset: { asset_id: string }) => asset.asset_id === 'AAPL')).toEqual({
        asset_id: 'AAPL',
        symbol: 'AAPL',
        name: 'AAPL (test)',
        // Seeded without a zone or a known source: the API fills the default rule's UTC.
        meta: { exchange: 'NASDAQ', interval: '1m', timezone: 'UTC' },
      });
    });

    it('reads AAPL in August: the first page, then the next page via its token', async () => {
      const first = await api.http.get('/api/v1/data/AAPL?from=2025-08-01&to=2025-08-31&limit=100').expect(200);
      const firstBody = first.body as PageBody;
      expect(firstBody.items).toHaveLength(100);
      expect(firstBody.items[0]).toEqual({
        ts: '2025-08-01T13:30:00.000Z',
        price: '180.00',
        open: null,
        high: null,
        low: null,
        volume: 1000,
        source_id: 'test',
      });
      expect(firstBody.next_page_token).toEqual(expect.any(String));
      const second = await api.http
        .get('/api/v1/data/AAPL')
        .query({ from: '2025-08-01', to: '2025-08-31', limit: 100, page_token: firstBody.next_page_token })
        .expect(200);
      const secondBody = second.body as PageBody;
      expect(secondBody.items[0]?.ts).toBe('2025-08-01T15:10:00.000Z');
      expect(secondBody.items.map((item) => item.price)).toEqual(aapl.slice(100, 200).map((point) => point.price));
    });
  });

  it('returns every row of the range exactly once across pages, ending with a null token', async () => {
    const seen: string[] = [];
    let token: string | null = null;
    let pages = 0;
    do {
      const response = await api.http
        .get('/api/v1/data/AAPL')
        .query({ from: '2025-08-01', to: '2025-08-31', limit: 333, ...(token === null ? {} : { page_token: token }) })
        .expect(200);
      const body = response.body as PageBody;
      seen.push(...body.items.map((item) => item.ts));
      token = body.next_page_token;
      pages += 1;
    } while (token !== null);
    expect(seen).toEqual(aapl.map((point) => point.ts.toISOString()));
    expect(pages).toBe(Math.ceil(aapl.length / 333));
  });

  it('returns the newest bars first with sort=desc (the "last N bars" of a dashboard)', async () => {
    const response = await api.http
      .get('/api/v1/data/AAPL?from=2025-08-01&to=2025-08-05&limit=3&sort=desc')
      .expect(200);
    expect((response.body as PageBody).items.map((item) => item.ts)).toEqual([
      '2025-08-05T19:59:00.000Z',
      '2025-08-05T19:58:00.000Z',
      '2025-08-05T19:57:00.000Z',
    ]);
  });

  it('returns prices digit for digit, with open/high/low where the source has them', async () => {
    const response = await api.http.get('/api/v1/data/EXACT?from=2025-08-01&to=2025-08-01').expect(200);
    expect((response.body as PageBody).items.map(({ price, open, high, low }) => [price, open, high, low])).toEqual([
      ['189.10', '189.00', '189.25', '188.95'],
      ['0.000123', null, null, null],
      ['123456789012345678901234567890.123456789', null, null, null],
    ]);
    expect(response.text).toContain('"price":"189.10"');
  });

  it('takes date-times exactly and honours offsets', async () => {
    const response = await api.http
      .get('/api/v1/data/AAPL')
      .query({ from: '2025-08-01T09:30:00-04:00', to: '2025-08-01T13:32:00Z' })
      .expect(200);
    expect((response.body as PageBody).items.map((item) => item.ts)).toEqual([
      '2025-08-01T13:30:00.000Z',
      '2025-08-01T13:31:00.000Z',
      '2025-08-01T13:32:00.000Z',
    ]);
    expect(response.body.from).toBe('2025-08-01T13:30:00.000Z');
  });

  it('reads commodities with the same contract, across a month boundary', async () => {
    const response = await api.http
      .get('/api/v1/commodities/brent/data?from=2025-08-01&to=2025-09-30&limit=1')
      .expect(200);
    const next = await api.http
      .get('/api/v1/commodities/brent/data')
      .query({
        from: '2025-08-01',
        to: '2025-09-30',
        limit: 1,
        page_token: (response.body as PageBody).next_page_token,
      })
      .expect(200);
    expect([...(response.body as PageBody).items, ...(next.body as PageBody).items].map((item) => item.price)).toEqual([
      '67.48',
      '68.15',
    ]);
    const catalog = await api.http.get('/api/v1/commodities').expect(200);
    expect(catalog.body.items).toEqual([
      { commodity_id: 'brent', symbol: 'BRENT', name: 'brent (test)', meta: { interval: '1d', timezone: 'UTC' } },
    ]);
  });

  it('serves one asset, the latest quote and the data sources', async () => {
    const quote = await api.http.get('/api/v1/quotes/AAPL/latest').expect(200);
    expect(quote.body).toEqual({
      asset_id: 'AAPL',
      ts: '2025-08-05T19:59:00.000Z',
      price: '191.69',
      open: '191.60',
      high: '191.70',
      low: '191.55',
      volume: 2169,
      source_id: 'test',
    });
    const sources = await api.http.get('/api/v1/sources').expect(200);
    expect(sources.body.items).toEqual([
      {
        source_id: 'yahoo',
        name: 'Yahoo Finance chart API',
        url: 'https://query1.finance.yahoo.com',
        meta: { format: 'chart v8 JSON' },
      },
    ]);
  });

  it('pages the catalog by offset and by cursor alike', async () => {
    const all = await api.http.get('/api/v1/assets?limit=10').expect(200);
    const ids = all.body.items.map((asset: { asset_id: string }) => asset.asset_id);
    const byOffset = await api.http.get('/api/v1/assets?limit=1&offset=1').expect(200);
    expect(byOffset.body.items.map((asset: { asset_id: string }) => asset.asset_id)).toEqual([ids[1]]);
    const first = await api.http.get('/api/v1/assets?limit=1').expect(200);
    const second = await api.http
      .get('/api/v1/assets')
      .query({ limit: 1, page_token: first.body.next_page_token })
      .expect(200);
    expect([first.body.items[0].asset_id, second.body.items[0].asset_id]).toEqual(ids);
    const beyond = await api.http.get('/api/v1/assets?limit=5&offset=50').expect(200);
    expect(beyond.body).toEqual({ items: [], next_page_token: null });
  });

  it('resumes from the last ts when Cassandra refuses the paging state in a token', async () => {
    const query = {
      kind: 'asset',
      id: 'AAPL',
      from: Date.parse('2025-08-01T00:00:00Z'),
      to: Date.parse('2025-08-31T23:59:59.999Z'),
      sort: 'asc' as const,
    };
    const lastTs = aapl[9]?.ts.getTime() ?? 0;
    const forged = encodePageToken(
      query,
      { bucketIndex: 0, pageState: '00ff00ff', lastTs },
      { secret: TEST_PAGE_TOKEN_SECRET, expiresAt: Date.now() + 60_000 },
    );
    const response = await api.http
      .get('/api/v1/data/AAPL')
      .query({ from: '2025-08-01', to: '2025-08-31', limit: 5, page_token: forged })
      .expect(200);
    expect((response.body as PageBody).items.map((item) => item.price)).toEqual(
      aapl.slice(10, 15).map((point) => point.price),
    );
    // And the walk goes on from there without a gap.
    const next = await api.http
      .get('/api/v1/data/AAPL')
      .query({
        from: '2025-08-01',
        to: '2025-08-31',
        limit: 5,
        page_token: (response.body as PageBody).next_page_token,
      })
      .expect(200);
    expect((next.body as PageBody).items.map((item) => item.price)).toEqual(
      aapl.slice(15, 20).map((point) => point.price),
    );
  });
});

describe('an open-ended range', () => {
  let openApi: RunningApi;

  beforeAll(async () => {
    openApi = await startApi('e2e_open_range');
  });

  afterAll(async () => {
    await openApi.close();
  });

  it('pages an open-ended range (no `to`: up to now) by its tokens alone, newest first', async () => {
    const now = Date.now();
    const recent = Array.from({ length: 7 }, (_, index) => ({
      ts: new Date(Math.floor(now / 60_000) * 60_000 - (index + 1) * 60_000),
      price: `${10 + index}.5`,
      sourceId: 'e2e',
    }));
    await seedSeries(openApi.app, 'asset', 'LIVE', recent);
    const from = new Date(now - 3_600_000).toISOString();
    const seen: string[] = [];
    let token: string | null = null;
    do {
      const query: Record<string, string> = { from, limit: '3', sort: 'desc' };
      if (token !== null) query.page_token = token;
      const body = (await openApi.http.get('/api/v1/data/LIVE').query(query).expect(200)).body as PageBody;
      seen.push(...body.items.map((item) => item.ts));
      token = body.next_page_token;
      // Later requests see a later "now": the token, not the clock, fixes where the range ends.
      await new Promise((resolve) => setTimeout(resolve, 5));
    } while (token !== null);
    expect(seen).toEqual(recent.map((point) => point.ts.toISOString()));
  });
});
