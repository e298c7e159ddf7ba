import {
  ProviderPayloadError,
  ProviderRateLimitError,
  ProviderUnavailableError,
  ProviderUnknownSymbolError,
} from '../provider-errors';
import { FakePriceServer, jsonFixture } from '../../../../../test/support/fake-price-server';
import { BinanceProvider } from './binance.provider';

const MINUTE = 60_000;
const T0 = Date.parse('2025-08-01T00:00:00Z');
const FIRST_FOUR_MINUTES = {
  symbol: 'BTCUSDT',
  from: new Date(T0),
  to: new Date(T0 + 4 * MINUTE),
  interval: '1m' as const,
};
const SCOPE_TEXT = 'binance BTCUSDT 1m [2025-08-01T00:00:00.000Z, 2025-08-01T00:04:00.000Z)';

/** A kline in Binance's wire format, as the fixtures hold them. */
function kline(openTime: number): unknown[] {
  return [
    openTime,
    '100.00000000',
    '101.00000000',
    '99.00000000',
    '100.50000000',
    '1.00000000',
    openTime + 59_999,
    '100.5',
    1,
    '0.5',
    '50.25',
    '0',
  ];
}

describe('BinanceProvider', () => {
  let server: FakePriceServer;
  let binance: BinanceProvider;
  let sleeps: number[];

  beforeEach(async () => {
    server = await FakePriceServer.start();
    sleeps = [];
    const sleep = (ms: number) => {
      sleeps.push(ms);
      return Promise.resolve();
    };
    binance = new BinanceProvider({ baseUrl: server.baseUrl, timeoutMs: 2000, maxAttempts: 3, retry: { sleep } });
  });
  afterEach(() => server.stop());

  it('keeps prices and the fractional base volume exactly as Binance sends them', async () => {
    server.reply(jsonFixture('binance', 'btcusdt-1m.json'));
    const bars = await binance.fetchBars(FIRST_FOUR_MINUTES);
    expect(bars).toEqual([
      {
        ts: new Date('2025-08-01T00:00:00Z'),
        open: '115764.08000000',
        high: '115800.00000000',
        low: '115700.01000000',
        close: '115780.00000000',
        volume: '12.34567000',
      },
      {
        ts: new Date('2025-08-01T00:01:00Z'),
        open: '115780.00000000',
        high: '115795.50000000',
        low: '115741.99000000',
        close: '115741.99000000',
        volume: '8.90210000',
      },
      {
        ts: new Date('2025-08-01T00:02:00Z'),
        open: '115741.99000000',
        high: '115760.00000000',
        low: '115700.00000000',
        close: '115755.12000000',
        volume: '0.00000000',
      },
      {
        ts: new Date('2025-08-01T00:03:00Z'),
        open: '115755.12000000',
        high: '115790.00000000',
        low: '115750.00000000',
        close: '115788.80000000',
        volume: '5.50000000',
      },
    ]);
  });

  it('asks for the window with an inclusive endTime one millisecond before `to`', async () => {
    server.reply(jsonFixture('binance', 'btcusdt-1m.json'));
    await binance.fetchBars(FIRST_FOUR_MINUTES);
    const query = Object.fromEntries(server.requests[0]?.searchParams ?? []);
    expect(server.requests[0]?.pathname).toBe('/api/v3/klines');
    expect(query).toEqual({
      symbol: 'BTCUSDT',
      interval: '1m',
      startTime: String(T0),
      endTime: String(T0 + 4 * MINUTE - 1),
      limit: '1000',
    });
  });

  it('pages through a window of more than 1000 bars, each bar exactly once', async () => {
    server.answer((url) => {
      const start = Number(url.searchParams.get('startTime'));
      const end = Number(url.searchParams.get('endTime'));
      const first = Math.ceil(start / MINUTE) * MINUTE;
      const page: unknown[] = [];
      for (let open = first; open <= end && page.length < 1000; open += MINUTE) page.push(kline(open));
      return { body: JSON.stringify(page) };
    });
    const bars = await binance.fetchBars({ ...FIRST_FOUR_MINUTES, to: new Date(T0 + 2500 * MINUTE) });
    expect(bars).toHaveLength(2500);
    expect(bars.every((bar, index) => bar.ts.getTime() === T0 + index * MINUTE)).toBe(true);
    expect(server.requests.map((url) => Number(url.searchParams.get('startTime')))).toEqual([
      T0,
      T0 + 999 * MINUTE + 1,
      T0 + 1999 * MINUTE + 1,
    ]);
  });

  it('makes one request when the window holds exactly 1000 bars', async () => {
    server.answer((url) => {
      const start = Number(url.searchParams.get('startTime'));
      const page = start === T0 ? Array.from({ length: 1000 }, (_, index) => kline(T0 + index * MINUTE)) : [];
      return { body: JSON.stringify(page) };
    });
    const bars = await binance.fetchBars({ ...FIRST_FOUR_MINUTES, to: new Date(T0 + 1000 * MINUTE) });
    expect(bars).toHaveLength(1000);
    expect(server.requests).toHaveLength(1);
  });

  it('returns no bars for an empty window', async () => {
    server.reply(jsonFixture('binance', 'empty.json'));
    await expect(binance.fetchBars(FIRST_FOUR_MINUTES)).resolves.toEqual([]);
  });

  it('reports Binance error -1121 as an unknown symbol', async () => {
    server.reply(jsonFixture('binance', 'invalid-symbol.json', 400));
    const failure = binance.fetchBars(FIRST_FOUR_MINUTES);
    await expect(failure).rejects.toBeInstanceOf(ProviderUnknownSymbolError);
    await expect(failure).rejects.toThrow(`${SCOPE_TEXT}: unknown symbol (Binance error -1121: Invalid symbol.)`);
  });

  it('reports other Binance error bodies with their code and message', async () => {
    server.reply(jsonFixture('binance', 'invalid-interval.json', 400));
    const failure = binance.fetchBars(FIRST_FOUR_MINUTES);
    await expect(failure).rejects.toBeInstanceOf(ProviderPayloadError);
    await expect(failure).rejects.toThrow(`${SCOPE_TEXT}: Binance error -1120: Invalid interval.`);
  });

  it('reports a 4xx that is not a Binance error body with its status', async () => {
    server.reply({ status: 400, body: 'Bad Request' });
    await expect(binance.fetchBars(FIRST_FOUR_MINUTES)).rejects.toThrow(
      `${SCOPE_TEXT}: unexpected HTTP 400: Bad Request`,
    );
  });

  it('waits out the Retry-After of a 429 and then reads the data', async () => {
    server.reply(
      { ...jsonFixture('binance', 'too-much-weight.json', 429), headers: { 'retry-after': '2' } },
      jsonFixture('binance', 'btcusdt-1m.json'),
    );
    await expect(binance.fetchBars(FIRST_FOUR_MINUTES)).resolves.toHaveLength(4);
    expect(sleeps).toEqual([2000]);
  });

  it('gives up at once on a 418 IP ban whose Retry-After is too long to wait, keeping the hint', async () => {
    server.reply({ ...jsonFixture('binance', 'ip-banned.json', 418), headers: { 'retry-after': '3600' } });
    const failure = binance.fetchBars(FIRST_FOUR_MINUTES);
    await expect(failure).rejects.toBeInstanceOf(ProviderRateLimitError);
    await expect(failure).rejects.toMatchObject({ retryAfterMs: 3_600_000 });
    await expect(failure).rejects.toThrow(/rate limited \(HTTP 418: .*IP banned until 1754010000000/);
    expect(server.requests).toHaveLength(1);
  });

  it('rejects a kline with fewer fields than the format has', async () => {
    server.reply(jsonFixture('binance', 'short-kline.json'));
    const failure = binance.fetchBars(FIRST_FOUR_MINUTES);
    await expect(failure).rejects.toBeInstanceOf(ProviderPayloadError);
    await expect(failure).rejects.toThrow(`${SCOPE_TEXT}: unexpected Binance klines response at 0`);
  });

  it('retries 5xx and reports the outage after the last attempt', async () => {
    server.answer(() => ({ status: 503, body: 'Service Unavailable' }));
    const failure = binance.fetchBars(FIRST_FOUR_MINUTES);
    await expect(failure).rejects.toBeInstanceOf(ProviderUnavailableError);
    await expect(failure).rejects.toThrow(`${SCOPE_TEXT}: HTTP 503: Service Unavailable (gave up after 3 attempts)`);
    expect(server.requests).toHaveLength(3);
  });
});
