import { ProviderPayloadError, ProviderRateLimitError, ProviderUnsupportedIntervalError } from '../provider-errors';
import { FakePriceServer, csvFixture, fixture } from '../../../../../test/support/fake-price-server';
import { StooqProvider } from './stooq.provider';

const LAST_WEEK_OF_JULY = {
  symbol: 'AAPL.US',
  from: new Date('2025-07-29T00:00:00Z'),
  to: new Date('2025-08-02T00:00:00Z'),
  interval: '1d' as const,
};
const SCOPE_TEXT = 'stooq AAPL.US 1d [2025-07-29T00:00:00.000Z, 2025-08-02T00:00:00.000Z)';
const NOW = Date.parse('2025-08-01T18:00:00Z');

describe('StooqProvider', () => {
  let server: FakePriceServer;
  let stooq: StooqProvider;

  beforeEach(async () => {
    server = await FakePriceServer.start();
    const retry = { sleep: () => Promise.resolve(), now: () => NOW };
    stooq = new StooqProvider({ baseUrl: server.baseUrl, timeoutMs: 2000, maxAttempts: 2, retry });
  });
  afterEach(() => server.stop());

  it('asks for the lower-case symbol between inclusive YYYYMMDD dates', async () => {
    server.reply(csvFixture('stooq', 'aapl-us-d.csv'));
    await stooq.fetchBars(LAST_WEEK_OF_JULY);
    const query = Object.fromEntries(server.requests[0]?.searchParams ?? []);
    expect(server.requests[0]?.pathname).toBe('/q/d/l/');
    expect(query).toEqual({ s: 'aapl.us', i: 'd', d1: '20250729', d2: '20250801' });
  });

  it('reads daily bars as written, stamped 00:00 UTC, within the window only', async () => {
    server.reply(csvFixture('stooq', 'aapl-us-d.csv'));
    const bars = await stooq.fetchBars(LAST_WEEK_OF_JULY);
    expect(bars.map((bar) => [bar.ts.toISOString(), bar.open, bar.high, bar.low, bar.close, bar.volume])).toEqual([
      ['2025-07-29T00:00:00.000Z', '214.175', '214.81', '210.82', '211.27', '51411723'],
      ['2025-07-30T00:00:00.000Z', '211.895', '212.39', '207.72', '209.05', '45512514'],
      ['2025-07-31T00:00:00.000Z', '208.49', '209.84', '207.16', '207.57', '80698431'],
      ['2025-08-01T00:00:00.000Z', '210.865', '213.58', '201.5', '202.38', '104434473'],
    ]);
  });

  it('leaves volume null for an index, which has no Volume column', async () => {
    server.reply(csvFixture('stooq', 'spx-d.csv'));
    const bars = await stooq.fetchBars({ ...LAST_WEEK_OF_JULY, symbol: '^SPX' });
    expect(bars.map((bar) => [bar.close, bar.volume])).toEqual([
      ['6339.39', null],
      ['6238.01', null],
    ]);
  });

  it('expands an exponent volume, treats an empty cell as null and ignores OpenInt', async () => {
    server.reply(csvFixture('stooq', 'cbf-d.csv'));
    const bars = await stooq.fetchBars({ ...LAST_WEEK_OF_JULY, symbol: 'CB.F' });
    expect(bars.map((bar) => [bar.close, bar.volume])).toEqual([
      ['72.53', '104434'],
      ['69.67', null],
    ]);
  });

  it('passes a non-numeric cell on unchanged, for the validator to reject', async () => {
    server.reply(csvFixture('stooq', 'bad-cell.csv'));
    const bars = await stooq.fetchBars(LAST_WEEK_OF_JULY);
    expect(bars.at(-1)?.high).toBe('n/a');
  });

  it('reads the "No data" body as an empty window', async () => {
    server.reply({ body: fixture('stooq', 'no-data.txt') });
    await expect(stooq.fetchBars(LAST_WEEK_OF_JULY)).resolves.toEqual([]);
  });

  it('reports the daily hits limit as a rate limit lasting until the next UTC day, without retrying', async () => {
    server.answer(() => ({ body: fixture('stooq', 'daily-hits-limit.txt') }));
    const failure = stooq.fetchBars(LAST_WEEK_OF_JULY);
    await expect(failure).rejects.toBeInstanceOf(ProviderRateLimitError);
    await expect(failure).rejects.toMatchObject({ retryAfterMs: 6 * 3_600_000 });
    await expect(failure).rejects.toThrow(`${SCOPE_TEXT}: daily quota used up (Exceeded the daily hits limit)`);
    expect(server.requests).toHaveLength(1);
  });

  it('rejects an HTML page served with status 200', async () => {
    server.reply({ body: fixture('stooq', 'html-page.txt') });
    const failure = stooq.fetchBars(LAST_WEEK_OF_JULY);
    await expect(failure).rejects.toBeInstanceOf(ProviderPayloadError);
    await expect(failure).rejects.toThrow(`${SCOPE_TEXT}: response is an HTML page, not CSV: <!DOCTYPE html>`);
  });

  it("rejects a CSV whose header is not Stooq's", async () => {
    server.reply(csvFixture('stooq', 'wrong-header.csv'));
    const failure = stooq.fetchBars(LAST_WEEK_OF_JULY);
    await expect(failure).rejects.toBeInstanceOf(ProviderPayloadError);
    await expect(failure).rejects.toThrow(`${SCOPE_TEXT}: unexpected Stooq CSV header: Ticker,Price`);
  });

  it('rejects a row whose date is not YYYY-MM-DD, naming the row and the text', async () => {
    server.reply(csvFixture('stooq', 'bad-date.csv'));
    await expect(stooq.fetchBars(LAST_WEEK_OF_JULY)).rejects.toThrow(
      `${SCOPE_TEXT}: Stooq CSV row 2: "31.07.2025" is not a date (YYYY-MM-DD)`,
    );
  });

  it('refuses intraday intervals before making any request', async () => {
    const failure = stooq.fetchBars({ ...LAST_WEEK_OF_JULY, interval: '1m' });
    await expect(failure).rejects.toBeInstanceOf(ProviderUnsupportedIntervalError);
    await expect(failure).rejects.toThrow('Stooq serves 1d bars, not 1m');
    expect(server.requests).toHaveLength(0);
  });

  it('refuses an empty or reversed window before making any request', async () => {
    const failure = stooq.fetchBars({ ...LAST_WEEK_OF_JULY, to: LAST_WEEK_OF_JULY.from });
    await expect(failure).rejects.toThrow(RangeError);
    expect(server.requests).toHaveLength(0);
  });
});
