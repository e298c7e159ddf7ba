import {
  ProviderAuthError,
  ProviderPayloadError,
  ProviderRateLimitError,
  ProviderUnknownSymbolError,
} from '../provider-errors';
import { FakePriceServer, fixture, instantRetries, jsonFixture } from '../../../../../test/support/fake-price-server';
import { YahooProvider, parseYahooChart } from './yahoo.provider';

const AUG_1 = {
  symbol: 'AAPL',
  from: new Date('2025-08-01T13:30:00Z'),
  to: new Date('2025-08-01T13:35:00Z'),
  interval: '1m' as const,
};
const SCOPE_TEXT = 'yahoo AAPL 1m [2025-08-01T13:30:00.000Z, 2025-08-01T13:35:00.000Z)';

describe('YahooProvider', () => {
  let server: FakePriceServer;
  let yahoo: YahooProvider;

  beforeEach(async () => {
    server = await FakePriceServer.start();
    yahoo = new YahooProvider({
      baseUrl: server.baseUrl,
      sessionUrl: `${server.baseUrl}/consent`,
      timeoutMs: 2000,
      maxAttempts: 2,
      retry: instantRetries,
    });
  });
  afterEach(() => server.stop());

  it('asks the chart API for the window in epoch seconds at the mapped interval', async () => {
    server.reply(jsonFixture('yahoo', 'aapl-1m.json'));
    await yahoo.fetchBars(AUG_1);
    const [request] = server.requests;
    expect(request?.pathname).toBe('/v8/finance/chart/AAPL');
    expect(request?.searchParams.get('period1')).toBe('1754055000');
    expect(request?.searchParams.get('period2')).toBe('1754055300');
    expect(request?.searchParams.get('interval')).toBe('1m');
  });

  it('turns float32 noise into exact decimals at priceHint, skips null bars and keeps the window', async () => {
    server.reply(jsonFixture('yahoo', 'aapl-1m.json'));
    const bars = await yahoo.fetchBars(AUG_1);
    expect(bars).toEqual([
      {
        ts: new Date('2025-08-01T13:30:00Z'),
        open: '210.87',
        high: '211.05',
        low: '210.50',
        close: '210.90',
        volume: '2167314',
      },
      {
        ts: new Date('2025-08-01T13:31:00Z'),
        open: '210.90',
        high: '211.00',
        low: '210.71',
        close: '210.71',
        volume: '612004',
      },
      {
        ts: new Date('2025-08-01T13:32:00Z'),
        open: '210.71',
        high: '210.75',
        low: '210.20',
        close: '210.20',
        volume: '571290',
      },
      // 13:33 is an all-null minute; 13:35 lies at the exclusive end of the window.
      {
        ts: new Date('2025-08-01T13:34:00Z'),
        open: '210.20',
        high: '210.60',
        low: '210.15',
        close: '210.60',
        volume: '0',
      },
    ]);
  });

  it('keeps a bar whose volume is null, with volume null', () => {
    const body = JSON.parse(fixture('yahoo', 'aapl-1m.json')) as unknown;
    const scope = { providerId: 'yahoo', symbol: 'AAPL' };
    const last = parseYahooChart(body, '1m', scope).at(-1);
    expect(last).toEqual({
      ts: new Date('2025-08-01T13:35:00Z'),
      open: '210.60',
      high: '210.70',
      low: '210.50',
      close: '210.55',
      volume: null,
    });
  });

  it('stamps daily futures bars (BZ=F) at 00:00 UTC of their New York trading date', async () => {
    server.reply(jsonFixture('yahoo', 'bzf-1d.json'));
    const bars = await yahoo.fetchBars({
      symbol: 'BZ=F',
      from: new Date('2025-07-29T00:00:00Z'),
      to: new Date('2025-08-02T00:00:00Z'),
      interval: '1d',
    });
    expect(server.requests[0]?.pathname).toBe('/v8/finance/chart/BZ%3DF');
    expect(bars.map((bar) => [bar.ts.toISOString(), bar.open, bar.high, bar.low, bar.close, bar.volume])).toEqual([
      ['2025-07-29T00:00:00.000Z', '70.04', '72.80', '69.90', '72.51', '49872'],
      ['2025-07-30T00:00:00.000Z', '72.51', '73.63', '72.35', '73.24', '47211'],
      ['2025-07-31T00:00:00.000Z', '73.24', '73.35', '71.87', '72.53', '40115'],
      ['2025-08-01T00:00:00.000Z', '72.47', '72.62', '69.41', '69.67', '38002'],
    ]);
  });

  it('uses the precision the response declares (priceHint 4 for a currency pair) and maps 1h to 60m', async () => {
    server.reply(jsonFixture('yahoo', 'eurusd-1h.json'));
    const bars = await yahoo.fetchBars({
      symbol: 'EURUSD=X',
      from: new Date('2025-08-01T13:00:00Z'),
      to: new Date('2025-08-01T15:00:00Z'),
      interval: '1h',
    });
    expect(server.requests[0]?.searchParams.get('interval')).toBe('60m');
    expect(bars.map((bar) => [bar.open, bar.high, bar.low, bar.close])).toEqual([
      ['1.1416', '1.1425', '1.1411', '1.1420'],
      ['1.1420', '1.1425', '1.1415', '1.1418'],
    ]);
  });

  it('returns no bars for a window without trading', async () => {
    server.reply(jsonFixture('yahoo', 'empty.json'));
    await expect(yahoo.fetchBars(AUG_1)).resolves.toEqual([]);
  });

  it('reports an unknown symbol from a 404 chart.error body', async () => {
    server.reply(jsonFixture('yahoo', 'not-found.json', 404));
    const failure = yahoo.fetchBars(AUG_1);
    await expect(failure).rejects.toBeInstanceOf(ProviderUnknownSymbolError);
    await expect(failure).rejects.toThrow(
      `${SCOPE_TEXT}: unknown symbol (Not Found: No data found, symbol may be delisted)`,
    );
  });

  it('reports any other chart.error as a payload error quoting Yahoo', async () => {
    server.reply(jsonFixture('yahoo', 'bad-request.json', 400));
    const failure = yahoo.fetchBars(AUG_1);
    await expect(failure).rejects.toBeInstanceOf(ProviderPayloadError);
    await expect(failure).rejects.toThrow(/Yahoo refused the request \(Bad Request: Invalid input - interval=7m/);
  });

  it('reports a 4xx without a chart.error body with its status', async () => {
    server.reply({ status: 404, body: '<html><body>Not Found</body></html>' });
    await expect(yahoo.fetchBars(AUG_1)).rejects.toThrow(
      `${SCOPE_TEXT}: unexpected HTTP 404: <html><body>Not Found</body></html>`,
    );
  });

  it('rejects columns whose lengths disagree with the timestamps', async () => {
    server.reply(jsonFixture('yahoo', 'mismatched-lengths.json'));
    await expect(yahoo.fetchBars(AUG_1)).rejects.toThrow(
      `${SCOPE_TEXT}: Yahoo chart response has 6 timestamps but 5 close values`,
    );
  });

  it('rejects a truncated body as not JSON', async () => {
    server.reply({ body: fixture('yahoo', 'truncated-json.txt') });
    const failure = yahoo.fetchBars(AUG_1);
    await expect(failure).rejects.toBeInstanceOf(ProviderPayloadError);
    await expect(failure).rejects.toThrow(`${SCOPE_TEXT}: response is not JSON: {"chart"`);
  });

  it('rejects JSON of another shape, naming where it differs', async () => {
    server.reply({ body: '{"chart":{"result":[{"meta":{},"indicators":{"quote":"none"}}],"error":null}}' });
    await expect(yahoo.fetchBars(AUG_1)).rejects.toThrow(
      /unexpected Yahoo chart response at chart\.result\.0\.indicators\.quote/,
    );
  });

  it('retries a 429 and then reports the rate limit', async () => {
    server.answer(() => ({ status: 429, body: fixture('yahoo', 'too-many-requests.txt') }));
    const failure = yahoo.fetchBars(AUG_1);
    await expect(failure).rejects.toBeInstanceOf(ProviderRateLimitError);
    await expect(failure).rejects.toThrow(
      `${SCOPE_TEXT}: rate limited (HTTP 429: Too Many Requests) (gave up after 2 attempts)`,
    );
    expect(server.requests).toHaveLength(2);
  });

  it('recovers from a passing 5xx', async () => {
    server.reply({ status: 502, body: 'Bad Gateway' }, jsonFixture('yahoo', 'aapl-1m.json'));
    await expect(yahoo.fetchBars(AUG_1)).resolves.toHaveLength(4);
  });

  describe('session (cookie and crumb)', () => {
    const CONSENT_COOKIE =
      'A3=d=AQABBK8x; Expires=Wed, 24 Nov 2027 22:00:00 GMT; Max-Age=31557600; Domain=.yahoo.com; Path=/; SameSite=None; Secure; HttpOnly';
    const consent = { status: 404, headers: { 'set-cookie': CONSENT_COOKIE }, body: '<html>Not Found</html>' };
    const crumb = { body: 'Xy3kP.ab/9Q' };
    const refused = () => jsonFixture('yahoo', 'unauthorized.json', 401);

    /** Yahoo as it behaves: the chart answers only requests with the crumb and the cookie it belongs to. */
    function yahooWantingASession(): void {
      server.answer((url) => {
        if (url.pathname === '/consent') return consent;
        if (url.pathname === '/v1/test/getcrumb') return crumb;
        return url.searchParams.get('crumb') === 'Xy3kP.ab/9Q' ? jsonFixture('yahoo', 'aapl-1m.json') : refused();
      });
    }

    it('opens one when Yahoo refuses a request without it, then sends the crumb and its cookie', async () => {
      yahooWantingASession();
      await expect(yahoo.fetchBars(AUG_1)).resolves.toHaveLength(4);
      expect(server.requests.map((url) => url.pathname)).toEqual([
        '/v8/finance/chart/AAPL',
        '/consent',
        '/v1/test/getcrumb',
        '/v8/finance/chart/AAPL',
      ]);
      expect(server.requestHeaders[2]?.cookie).toBe('A3=d=AQABBK8x');
      expect(server.requests[3]?.searchParams.get('crumb')).toBe('Xy3kP.ab/9Q');
      expect(server.requestHeaders[3]?.cookie).toBe('A3=d=AQABBK8x');
    });

    it('keeps the session for later requests', async () => {
      yahooWantingASession();
      await yahoo.fetchBars(AUG_1);
      await yahoo.fetchBars(AUG_1);
      expect(server.requests).toHaveLength(5);
      expect(server.requests[4]?.searchParams.get('crumb')).toBe('Xy3kP.ab/9Q');
    });

    it('opens a single session for requests refused at the same time', async () => {
      yahooWantingASession();
      await Promise.all([yahoo.fetchBars(AUG_1), yahoo.fetchBars(AUG_1), yahoo.fetchBars(AUG_1)]);
      expect(server.requests.filter((url) => url.pathname === '/consent')).toHaveLength(1);
    });

    it('renews a session Yahoo stops accepting', async () => {
      yahooWantingASession();
      await yahoo.fetchBars(AUG_1);
      server.reply(refused(), consent, { body: 'Nw2crumb' }, jsonFixture('yahoo', 'aapl-1m.json'));
      await expect(yahoo.fetchBars(AUG_1)).resolves.toHaveLength(4);
      expect(server.requests.at(-1)?.searchParams.get('crumb')).toBe('Nw2crumb');
    });

    it('fails once, with no retry storm, when Yahoo refuses even a fresh session', async () => {
      server.answer((url) =>
        url.pathname === '/consent' ? consent : url.pathname === '/v1/test/getcrumb' ? crumb : refused(),
      );
      const failure = yahoo.fetchBars(AUG_1);
      await expect(failure).rejects.toBeInstanceOf(ProviderAuthError);
      await expect(failure).rejects.toThrow(
        /credentials rejected \(HTTP 401: .*Invalid Crumb.*\), even with a fresh session cookie and crumb$/,
      );
      expect(server.requests).toHaveLength(4);
    });

    it('says so when the consent host sets no cookie', async () => {
      server.reply(refused(), { status: 404, body: 'Not Found' });
      await expect(yahoo.fetchBars(AUG_1)).rejects.toThrow(`${SCOPE_TEXT}: Yahoo set no session cookie (HTTP 404)`);
    });

    it('says so when the crumb endpoint answers with anything but a crumb', async () => {
      server.reply(refused(), consent, { body: '<html><body>Sign in</body></html>' });
      const failure = yahoo.fetchBars(AUG_1);
      await expect(failure).rejects.toBeInstanceOf(ProviderAuthError);
      await expect(failure).rejects.toThrow(/Yahoo gave no crumb \(HTTP 200: <html><body>Sign in/);
    });
  });

  it('describes itself for data_sources and the scheduler', () => {
    expect(yahoo.id).toBe('yahoo');
    expect(yahoo.url).toBe(server.baseUrl);
    expect(new YahooProvider().url).toBe('https://query1.finance.yahoo.com');
    expect(yahoo.rateLimit).toEqual({ requestsPerSecond: 2, burst: 5 });
  });
});
