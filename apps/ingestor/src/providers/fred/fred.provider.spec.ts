import { ProviderPayloadError, ProviderRateLimitError, ProviderUnknownSymbolError } from '../provider-errors';
import { FakePriceServer, csvFixture, fixture, instantRetries } from '../../../../../test/support/fake-price-server';
import { FredProvider } from './fred.provider';

const BRENT_WEEK = {
  symbol: 'DCOILBRENTEU',
  from: new Date('2025-07-28T00:00:00Z'),
  to: new Date('2025-08-02T00:00:00Z'),
  interval: '1d' as const,
};
const SCOPE_TEXT = 'fred DCOILBRENTEU 1d [2025-07-28T00:00:00.000Z, 2025-08-02T00:00:00.000Z)';

describe('FredProvider', () => {
  let server: FakePriceServer;
  let fred: FredProvider;

  beforeEach(async () => {
    server = await FakePriceServer.start();
    fred = new FredProvider({ baseUrl: server.baseUrl, timeoutMs: 2000, maxAttempts: 2, retry: instantRetries });
  });
  afterEach(() => server.stop());

  it('asks for the series between inclusive ISO dates', async () => {
    server.reply(csvFixture('fred', 'dcoilbrenteu.csv'));
    await fred.fetchBars(BRENT_WEEK);
    const query = Object.fromEntries(server.requests[0]?.searchParams ?? []);
    expect(server.requests[0]?.pathname).toBe('/graph/fredgraph.csv');
    expect(query).toEqual({ id: 'DCOILBRENTEU', cosd: '2025-07-28', coed: '2025-08-01' });
  });

  it('reads each observation as a close-only bar and skips the days marked "."', async () => {
    server.reply(csvFixture('fred', 'dcoilbrenteu.csv'));
    const bars = await fred.fetchBars(BRENT_WEEK);
    expect(bars).toEqual(
      [
        ['2025-07-28', '71.76'],
        ['2025-07-29', '73.54'],
        ['2025-07-30', '74.01'],
        ['2025-08-01', '71.08'],
      ].map(([date, close]) => ({
        ts: new Date(`${date}T00:00:00Z`),
        open: null,
        high: null,
        low: null,
        close,
        volume: null,
      })),
    );
  });

  it('reads older downloads whose date column is called DATE', async () => {
    server.reply(csvFixture('fred', 'dcoilwtico-legacy.csv'));
    const bars = await fred.fetchBars({
      symbol: 'DCOILWTICO',
      from: new Date('2024-12-24T00:00:00Z'),
      to: new Date('2024-12-27T00:00:00Z'),
      interval: '1d',
    });
    expect(bars.map((bar) => [bar.ts.toISOString().slice(0, 10), bar.close])).toEqual([
      ['2024-12-24', '70.10'],
      ['2024-12-26', '69.62'],
    ]);
  });

  it('returns no bars for a header without observations', async () => {
    server.reply(csvFixture('fred', 'header-only.csv'));
    await expect(fred.fetchBars(BRENT_WEEK)).resolves.toEqual([]);
  });

  it('reports a 404 page as an unknown series', async () => {
    server.reply({ status: 404, body: fixture('fred', 'not-found.html.txt') });
    const failure = fred.fetchBars(BRENT_WEEK);
    await expect(failure).rejects.toBeInstanceOf(ProviderUnknownSymbolError);
    await expect(failure).rejects.toThrow(`${SCOPE_TEXT}: unknown series (HTTP 404: <!DOCTYPE html>`);
  });

  it('refuses a CSV of another series than the one asked for', async () => {
    server.reply(csvFixture('fred', 'other-series.csv'));
    const failure = fred.fetchBars(BRENT_WEEK);
    await expect(failure).rejects.toBeInstanceOf(ProviderPayloadError);
    await expect(failure).rejects.toThrow(`${SCOPE_TEXT}: FRED sent series DEXUSEU, not DCOILBRENTEU`);
  });

  it('refuses a row with a missing column as unreadable CSV', async () => {
    server.reply(csvFixture('fred', 'short-row.csv'));
    const failure = fred.fetchBars(BRENT_WEEK);
    await expect(failure).rejects.toBeInstanceOf(ProviderPayloadError);
    await expect(failure).rejects.toThrow(`${SCOPE_TEXT}: response is not readable CSV: Invalid Record Length`);
  });

  it('refuses an HTML page served with status 200', async () => {
    server.reply({ body: fixture('fred', 'not-found.html.txt') });
    await expect(fred.fetchBars(BRENT_WEEK)).rejects.toThrow(
      `${SCOPE_TEXT}: response is an HTML page, not CSV: <!DOCTYPE html>`,
    );
  });

  it('retries a 429 and reports the rate limit when it persists', async () => {
    server.answer(() => ({ status: 429, body: 'Too Many Requests' }));
    await expect(fred.fetchBars(BRENT_WEEK)).rejects.toBeInstanceOf(ProviderRateLimitError);
    expect(server.requests).toHaveLength(2);
  });
});
