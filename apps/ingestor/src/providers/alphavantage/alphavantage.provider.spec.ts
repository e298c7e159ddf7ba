import {
  ProviderAuthError,
  ProviderPayloadError,
  ProviderRateLimitError,
  ProviderUnknownSymbolError,
} from '../provider-errors';
import { FakePriceServer, jsonFixture } from '../../../../../test/support/fake-price-server';
import { AlphaVantageProvider, easternMonths } from './alphavantage.provider';

const API_KEY = 'TESTKEY123';
const AROUND_DST = {
  symbol: 'IBM',
  from: new Date('2025-03-07T00:00:00Z'),
  to: new Date('2025-03-11T00:00:00Z'),
  interval: '5m' as const,
};
const SCOPE_TEXT = 'alphavantage IBM 5m [2025-03-07T00:00:00.000Z, 2025-03-11T00:00:00.000Z)';
const NOW = Date.parse('2025-03-10T20:00:00Z');

describe('AlphaVantageProvider', () => {
  let server: FakePriceServer;
  let alphaVantage: AlphaVantageProvider;
  let sleeps: number[];

  beforeEach(async () => {
    server = await FakePriceServer.start();
    sleeps = [];
    const sleep = (ms: number) => {
      sleeps.push(ms);
      return Promise.resolve();
    };
    alphaVantage = new AlphaVantageProvider({
      baseUrl: server.baseUrl,
      apiKey: API_KEY,
      timeoutMs: 2000,
      maxAttempts: 2,
      // Generous, so the only waits recorded are the retry waits.
      rateLimit: { requestsPerSecond: 100, burst: 10 },
      retry: { sleep, now: () => NOW },
    });
  });
  afterEach(() => server.stop());

  it('asks for the full intraday month of the window at the mapped interval with the API key', async () => {
    server.reply(jsonFixture('alphavantage', 'ibm-intraday-5min.json'));
    await alphaVantage.fetchBars(AROUND_DST);
    expect(server.requests[0]?.pathname).toBe('/query');
    expect(Object.fromEntries(server.requests[0]?.searchParams ?? [])).toEqual({
      function: 'TIME_SERIES_INTRADAY',
      interval: '5min',
      month: '2025-03',
      symbol: 'IBM',
      outputsize: 'full',
      apikey: API_KEY,
    });
  });

  it('backfills a past month day by day with one call, and asks each month a window touches', async () => {
    const month = jsonFixture('alphavantage', 'ibm-intraday-5min.json');
    server.reply(month, month);
    for (const day of ['2025-02-03', '2025-02-04', '2025-02-05']) {
      const from = new Date(`${day}T00:00:00Z`);
      await alphaVantage.fetchBars({ ...AROUND_DST, from, to: new Date(from.getTime() + 86_400_000) });
    }
    expect(server.requests.map((request) => request.searchParams.get('month'))).toEqual(['2025-02']);
    await alphaVantage.fetchBars({
      ...AROUND_DST,
      from: new Date('2025-01-31T12:00:00Z'),
      to: new Date('2025-02-01T12:00:00Z'),
    });
    expect(server.requests.map((request) => request.searchParams.get('month'))).toEqual(['2025-02', '2025-01']);
  });

  it('asks the current month afresh every time: it still grows', async () => {
    const month = jsonFixture('alphavantage', 'ibm-intraday-5min.json');
    server.reply(month, month);
    await alphaVantage.fetchBars(AROUND_DST);
    await alphaVantage.fetchBars(AROUND_DST);
    expect(server.requests).toHaveLength(2);
  });

  it('names months in US/Eastern time, across a year end', () => {
    // 02:00 UTC on September 1st is still August 31st in New York.
    expect(easternMonths(new Date('2025-09-01T02:00:00Z'), new Date('2025-09-01T03:00:00Z'))).toEqual(['2025-08']);
    expect(easternMonths(new Date('2024-11-20T00:00:00Z'), new Date('2025-01-10T00:00:00Z'))).toEqual([
      '2024-11',
      '2024-12',
      '2025-01',
    ]);
  });

  it('converts US/Eastern bar times to UTC on both sides of the March DST change, ascending', async () => {
    server.reply(jsonFixture('alphavantage', 'ibm-intraday-5min.json'));
    const bars = await alphaVantage.fetchBars(AROUND_DST);
    expect(bars.map((bar) => [bar.ts.toISOString(), bar.close, bar.volume])).toEqual([
      // Friday 19:50 and 19:55 EST (UTC-5) ...
      ['2025-03-08T00:50:00.000Z', '261.5000', '1223'],
      ['2025-03-08T00:55:00.000Z', '261.5400', '877'],
      // ... Monday 04:00, 04:05 and 09:30 EDT (UTC-4).
      ['2025-03-10T08:00:00.000Z', '249.0100', '1043'],
      ['2025-03-10T08:05:00.000Z', '248.8000', '212'],
      ['2025-03-10T13:30:00.000Z', '248.2000', '187342'],
    ]);
    expect(bars[0]).toMatchObject({ open: '261.4900', high: '261.5000', low: '261.4000' });
  });

  it('reads daily bars as trading dates at 00:00 UTC with decimals as written', async () => {
    server.reply(jsonFixture('alphavantage', 'ibm-daily.json'));
    const bars = await alphaVantage.fetchBars({
      symbol: 'IBM',
      from: new Date('2025-07-31T00:00:00Z'),
      to: new Date('2025-08-02T00:00:00Z'),
      interval: '1d',
    });
    expect(server.requests[0]?.searchParams.get('function')).toBe('TIME_SERIES_DAILY');
    expect(server.requests[0]?.searchParams.has('interval')).toBe(false);
    expect(bars).toEqual([
      {
        ts: new Date('2025-07-31T00:00:00Z'),
        open: '252.9000',
        high: '254.0700',
        low: '251.3400',
        close: '253.1500',
        volume: '6436612',
      },
      {
        ts: new Date('2025-08-01T00:00:00Z'),
        open: '251.4050',
        high: '251.6300',
        low: '245.6700',
        close: '250.0500',
        volume: '5769553',
      },
    ]);
  });

  it('treats a per-minute "Note" as a rate limit: waits a minute, then reads the data', async () => {
    server.reply(
      jsonFixture('alphavantage', 'note-calls-per-minute.json'),
      jsonFixture('alphavantage', 'ibm-intraday-5min.json'),
    );
    await expect(alphaVantage.fetchBars(AROUND_DST)).resolves.toHaveLength(5);
    expect(sleeps).toEqual([60_000]);
  });

  it('reports a persistent per-minute "Note" as a rate limit, never as an empty series', async () => {
    server.answer(() => jsonFixture('alphavantage', 'note-calls-per-minute.json'));
    const failure = alphaVantage.fetchBars(AROUND_DST);
    await expect(failure).rejects.toBeInstanceOf(ProviderRateLimitError);
    await expect(failure).rejects.toThrow(
      `${SCOPE_TEXT}: throttled by Alpha Vantage (Thank you for using Alpha Vantage!`,
    );
  });

  it('reports the daily quota "Information" as a rate limit until the next UTC day, without retrying', async () => {
    server.answer(() => jsonFixture('alphavantage', 'information-requests-per-day.json'));
    const failure = alphaVantage.fetchBars(AROUND_DST);
    await expect(failure).rejects.toBeInstanceOf(ProviderRateLimitError);
    await expect(failure).rejects.toMatchObject({ retryAfterMs: 4 * 3_600_000 });
    expect(server.requests).toHaveLength(1);
  });

  it('reports an invalid API key as an auth error, once', async () => {
    server.answer(() => jsonFixture('alphavantage', 'error-invalid-apikey.json'));
    const failure = alphaVantage.fetchBars(AROUND_DST);
    await expect(failure).rejects.toBeInstanceOf(ProviderAuthError);
    await expect(failure).rejects.toThrow(
      `${SCOPE_TEXT}: API key rejected (the parameter apikey is invalid or missing.`,
    );
    expect(server.requests).toHaveLength(1);
  });

  it('reports a premium-only endpoint as an auth error', async () => {
    server.reply(jsonFixture('alphavantage', 'information-premium-endpoint.json'));
    await expect(alphaVantage.fetchBars(AROUND_DST)).rejects.toThrow(/API key not entitled to this endpoint/);
  });

  it('reports HTTP 401 and 403 as auth errors without retrying', async () => {
    server.reply({ status: 403, body: 'Forbidden' });
    await expect(alphaVantage.fetchBars(AROUND_DST)).rejects.toBeInstanceOf(ProviderAuthError);
    server.reply({ status: 401, body: 'Unauthorized' });
    await expect(alphaVantage.fetchBars(AROUND_DST)).rejects.toBeInstanceOf(ProviderAuthError);
    expect(server.requests).toHaveLength(2);
  });

  it('reports "Invalid API call" as an unknown symbol', async () => {
    server.reply(jsonFixture('alphavantage', 'error-invalid-call.json'));
    const failure = alphaVantage.fetchBars({ ...AROUND_DST, symbol: 'NOPE' });
    await expect(failure).rejects.toBeInstanceOf(ProviderUnknownSymbolError);
    await expect(failure).rejects.toThrow(
      /^alphavantage NOPE 5m .*: unknown symbol or invalid call \(Invalid API call\./,
    );
  });

  it('never shows the API key in an error message', async () => {
    server.reply(jsonFixture('alphavantage', 'error-invalid-apikey.json'));
    await expect(alphaVantage.fetchBars(AROUND_DST)).rejects.not.toThrow(API_KEY);
  });

  it('rejects a bar without a close field, naming the bar', async () => {
    server.reply(jsonFixture('alphavantage', 'missing-close-field.json'));
    const failure = alphaVantage.fetchBars(AROUND_DST);
    await expect(failure).rejects.toBeInstanceOf(ProviderPayloadError);
    await expect(failure).rejects.toThrow(
      `${SCOPE_TEXT}: unexpected Alpha Vantage "Time Series (5min)" at 2025-03-10 04:05:00.4. close`,
    );
  });

  it('returns no bars for an empty series', async () => {
    server.reply(jsonFixture('alphavantage', 'empty-series.json'));
    await expect(alphaVantage.fetchBars(AROUND_DST)).resolves.toEqual([]);
  });

  it('rejects an empty object as a response without a time series', async () => {
    server.reply(jsonFixture('alphavantage', 'empty-object.json'));
    await expect(alphaVantage.fetchBars(AROUND_DST)).rejects.toThrow(
      `${SCOPE_TEXT}: Alpha Vantage response has no time series (an empty object)`,
    );
  });

  it('paces itself to the free tier of 5 calls a minute by default', async () => {
    const paced = new AlphaVantageProvider({
      baseUrl: server.baseUrl,
      apiKey: API_KEY,
      retry: { now: () => NOW, sleep: (ms) => Promise.resolve(void sleeps.push(ms)) },
    });
    server.answer(() => jsonFixture('alphavantage', 'empty-series.json'));
    await paced.fetchBars(AROUND_DST);
    await paced.fetchBars(AROUND_DST);
    expect(sleeps).toEqual([12_000]);
  });

  it('builds without an API key (the worker starts), and then fails every fetch as an auth error, asking nothing', async () => {
    for (const apiKey of [undefined, ' ']) {
      const keyless = new AlphaVantageProvider({ apiKey, baseUrl: server.baseUrl });
      const before = server.requests.length;
      await expect(keyless.fetchBars(AROUND_DST)).rejects.toThrow(ProviderAuthError);
      await expect(keyless.fetchBars(AROUND_DST)).rejects.toThrow(
        `${SCOPE_TEXT}: an API key is required (ALPHAVANTAGE_API_KEY)`,
      );
      expect(server.requests.length).toBe(before);
    }
  });
});
