import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import { normaliseDecimalText } from '@market/domain';
import { isKnownTimeZone, toLocalDateTime, zonedToUtc } from '../../normalisation/zoned-time';
import { type HttpProviderOptions, endpointUrl } from '../http/http-provider-options';
import type { ProviderHttpResponse } from '../http/provider-http-client';
import type {
  ActionsRequest,
  BarInterval,
  FetchRequest,
  ProviderAction,
  ProviderBar,
} from '../price-provider.interface';
import { parseAlphaVantageDividends, parseAlphaVantageSplits } from './alphavantage-actions';
import { providerSettings } from '../provider-settings';
import {
  ProviderAuthError,
  ProviderPayloadError,
  type ProviderErrorScope,
  ProviderRateLimitError,
  ProviderUnknownSymbolError,
  assertFetchable,
  bodyExcerpt,
  fetchScope,
  untilNextUtcDay,
} from '../provider-errors';
import { readJsonBody, readWithSchema } from '../provider-payload';
import { expectOk, HttpPriceProvider } from '../http/http-price-provider';

export const ALPHAVANTAGE_BASE_URL = 'https://www.alphavantage.co';

const INTRADAY_INTERVALS: Readonly<Record<Exclude<BarInterval, '1d'>, string>> = {
  '1m': '1min',
  '5m': '5min',
  '15m': '15min',
  '1h': '60min',
};

const barSchema = z.object({
  '1. open': z.string(),
  '2. high': z.string(),
  '3. low': z.string(),
  '4. close': z.string(),
  '5. volume': z.string(),
});
const seriesSchema = z.record(z.string(), barSchema);
const metaSchema = z.record(z.string(), z.string());

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/** Alpha Vantage's free-tier throttling texts ("5 calls per minute", "25 requests per day", "burst pattern"). */
const THROTTLING = /call frequency|rate limit|requests? per|calls? per|burst pattern|spreading out/i;
const PER_MINUTE = /per minute|burst pattern|spreading out/i;
const PREMIUM = /premium endpoint/i;
const BAD_KEY = /apikey is invalid|api key is invalid|apikey is invalid or missing|invalid api key/i;

export interface AlphaVantageReadOptions {
  /** For the wait a daily quota implies. */
  readonly nowMs: number;
}

/**
 * Bars of a TIME_SERIES_INTRADAY or TIME_SERIES_DAILY response. Alpha Vantage answers
 * everything with HTTP 200, errors included: a "Note" or "Information" about call frequency
 * is a rate limit (not data, not an empty series), an invalid key an auth error, any other
 * "Error Message" an unknown symbol. Intraday times are wall-clock times in the zone of
 * "Meta Data" ("US/Eastern"), converted to UTC DST-correctly; daily bars are stamped 00:00
 * UTC of their date. Decimals are kept as written ("243.4900").
 */
export function parseAlphaVantageSeries(
  body: unknown,
  scope: ProviderErrorScope,
  options: AlphaVantageReadOptions,
): ProviderBar[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ProviderPayloadError(scope, `unexpected Alpha Vantage response: ${bodyExcerpt(JSON.stringify(body))}`);
  }
  throwOnMessage(body, scope, options);
  const entries: Array<[string, unknown]> = Object.entries(body);
  const seriesEntry = entries.find(([key]) => key.startsWith('Time Series'));
  if (seriesEntry === undefined) {
    const keys = entries.length === 0 ? 'an empty object' : `keys ${entries.map(([key]) => key).join(', ')}`;
    throw new ProviderPayloadError(scope, `Alpha Vantage response has no time series (${keys})`);
  }
  const meta = readWithSchema(metaSchema, Reflect.get(body, 'Meta Data'), scope, 'Alpha Vantage "Meta Data"');
  const [seriesKey, seriesValue] = seriesEntry;
  const series = readWithSchema(seriesSchema, seriesValue, scope, `Alpha Vantage "${seriesKey}"`);
  const zone = Object.entries(meta).find(([key]) => key.endsWith('Time Zone'))?.[1];
  if (zone === undefined || !isKnownTimeZone(zone)) {
    throw new ProviderPayloadError(scope, `Alpha Vantage "Meta Data" names no known time zone (${zone ?? 'none'})`);
  }
  return Object.entries(series)
    .map(([stamp, fields]) => ({
      ts: localStamp(stamp, zone, scope),
      open: normaliseDecimalText(fields['1. open']),
      high: normaliseDecimalText(fields['2. high']),
      low: normaliseDecimalText(fields['3. low']),
      close: normaliseDecimalText(fields['4. close']),
      volume: normaliseDecimalText(fields['5. volume']),
    }))
    .sort((a, b) => a.ts.getTime() - b.ts.getTime());
}

function throwOnMessage(body: object, scope: ProviderErrorScope, options: AlphaVantageReadOptions): void {
  const text = (key: string): string | undefined => {
    const value: unknown = Reflect.get(body, key);
    return typeof value === 'string' ? value : undefined;
  };
  const errorMessage = text('Error Message');
  const notice = text('Note') ?? text('Information');
  const message = errorMessage ?? notice;
  if (message === undefined) return;
  const said = bodyExcerpt(message, 160);
  if (BAD_KEY.test(message)) throw new ProviderAuthError(scope, `API key rejected (${said})`);
  if (PREMIUM.test(message)) throw new ProviderAuthError(scope, `API key not entitled to this endpoint (${said})`);
  if (notice !== undefined && THROTTLING.test(notice)) {
    const retryAfterMs = PER_MINUTE.test(notice) ? 60_000 : untilNextUtcDay(options.nowMs);
    throw new ProviderRateLimitError(scope, `throttled by Alpha Vantage (${said})`, retryAfterMs);
  }
  if (errorMessage !== undefined)
    throw new ProviderUnknownSymbolError(scope, `unknown symbol or invalid call (${said})`);
  throw new ProviderPayloadError(scope, `Alpha Vantage sent a notice instead of data (${said})`);
}

function localStamp(stamp: string, zone: string, scope: ProviderErrorScope): Date {
  const match = LOCAL_DATE_TIME.exec(stamp);
  if (match === null)
    throw new ProviderPayloadError(scope, `Alpha Vantage timestamp "${stamp}" is not YYYY-MM-DD[ HH:MM:SS]`);
  const [, year, month, day, hour, minute, second] = match.map(Number);
  const local = { year: year ?? 0, month: month ?? 0, day: day ?? 0, hour: 0, minute: 0, second: 0 };
  // A date alone is a trading date, whatever the zone: 00:00 UTC like every daily source.
  if (match[4] === undefined) return new Date(Date.UTC(local.year, local.month - 1, local.day));
  return zonedToUtc({ ...local, hour: hour ?? 0, minute: minute ?? 0, second: second ?? 0 }, zone);
}

/** The zone Alpha Vantage's `month` parameter and intraday stamps are in. */
const EASTERN = 'America/New_York';
/** How long a fetched month answers the day-by-day requests of a backfill. */
const MONTH_KEPT_MS = 10 * 60_000;

export interface AlphaVantageProviderOptions extends HttpProviderOptions {
  /** Required to fetch; without one the provider still builds (the worker starts) and every fetch fails. */
  readonly apiKey?: string;
}

/** Equities (IBM, AAPL) from Alpha Vantage's intraday and daily time series. Needs an API key. */
@Injectable()
export class AlphaVantageProvider extends HttpPriceProvider {
  readonly name = 'Alpha Vantage';
  readonly intervals: readonly BarInterval[] = ['1m', '5m', '15m', '1h', '1d'];
  /** US equities: the New York session's clock. */
  readonly timeZone = 'America/New_York';
  readonly calendar = 'XNYS' as const;
  private readonly apiKey: string | null;
  private readonly now: () => number;
  private readonly months = new LRUCache<string, Promise<ProviderBar[]>>({ max: 4, ttl: MONTH_KEPT_MS });

  constructor(@Inject(providerSettings('alphavantage')) options: AlphaVantageProviderOptions = {}) {
    // The free tier allows 5 calls a minute (and 25 a day).
    super('alphavantage', options, {
      baseUrl: ALPHAVANTAGE_BASE_URL,
      rateLimit: { requestsPerSecond: 5 / 60, burst: 1 },
    });
    this.apiKey = options.apiKey === undefined || options.apiKey.trim() === '' ? null : options.apiKey;
    this.now = options.retry?.now ?? Date.now;
  }

  async fetchBars(request: FetchRequest, signal?: AbortSignal): Promise<ProviderBar[]> {
    assertFetchable(this, request);
    const scope = fetchScope(this.id, request);
    if (request.interval === '1d') {
      const daily = await this.fetchSeries({ function: 'TIME_SERIES_DAILY', symbol: request.symbol }, scope, signal);
      return daily.filter((bar) => bar.ts >= request.from && bar.ts < request.to);
    }
    // Intraday history comes a month per call (`month=YYYY-MM`, US/Eastern): without it the
    // API answers only the trailing 30 days, so older windows would come back empty.
    const bars: ProviderBar[] = [];
    const currentMonth = easternMonth(new Date(this.now()));
    for (const month of easternMonths(request.from, request.to)) {
      const series = {
        function: 'TIME_SERIES_INTRADAY',
        interval: INTRADAY_INTERVALS[request.interval],
        month,
        symbol: request.symbol,
      };
      // The current month still grows: live jobs always ask afresh.
      bars.push(
        ...(await (month === currentMonth
          ? this.fetchSeries(series, scope, signal)
          : this.monthOnce(series, scope, signal))),
      );
    }
    return bars.filter((bar) => bar.ts >= request.from && bar.ts < request.to);
  }

  /** Splits (`function=SPLITS`) and cash dividends (`function=DIVIDENDS`): two calls, whole history each. */
  async fetchActions(request: ActionsRequest, signal?: AbortSignal): Promise<ProviderAction[]> {
    const scope: ProviderErrorScope = {
      providerId: this.id,
      symbol: request.symbol,
      from: request.from,
      to: request.to,
    };
    if (this.apiKey === null) throw new ProviderAuthError(scope, 'an API key is required (ALPHAVANTAGE_API_KEY)');
    const call = (name: 'SPLITS' | 'DIVIDENDS', parse: typeof parseAlphaVantageSplits) => {
      const url = endpointUrl(this.http.baseUrl, '/query', {
        function: name,
        symbol: request.symbol,
        apikey: this.apiKey ?? '',
      });
      const read = (response: ProviderHttpResponse): ProviderAction[] => {
        expectOk(response, scope);
        const body = readJsonBody(response.body, scope);
        if (typeof body === 'object' && body !== null) throwOnMessage(body, scope, { nowMs: this.now() });
        return parse(body, scope);
      };
      return this.http.client.get(url, scope, read, signal);
    };
    const splits = await call('SPLITS', parseAlphaVantageSplits);
    return [...splits, ...(await call('DIVIDENDS', parseAlphaVantageDividends))];
  }

  /**
   * A backfill asks for one day at a time, and a past month answers ~30 of those days: it
   * is kept for a short while so that it costs one call of the free tier's 25 a day, not 30.
   */
  private monthOnce(
    series: Record<string, string>,
    scope: ProviderErrorScope,
    signal?: AbortSignal,
  ): Promise<ProviderBar[]> {
    const key = JSON.stringify(series);
    const cached = this.months.get(key);
    if (cached !== undefined) return cached;
    const bars = this.fetchSeries(series, scope, signal);
    this.months.set(key, bars);
    // A failed month is asked again next time, not remembered.
    bars.catch(() => this.months.delete(key));
    return bars;
  }

  private async fetchSeries(
    series: Record<string, string>,
    scope: ProviderErrorScope,
    signal?: AbortSignal,
  ): Promise<ProviderBar[]> {
    if (this.apiKey === null) throw new ProviderAuthError(scope, 'an API key is required (ALPHAVANTAGE_API_KEY)');
    const url = endpointUrl(this.http.baseUrl, '/query', { ...series, outputsize: 'full', apikey: this.apiKey });
    const read = (response: ProviderHttpResponse): ProviderBar[] => {
      expectOk(response, scope);
      return parseAlphaVantageSeries(readJsonBody(response.body, scope), scope, { nowMs: this.now() });
    };
    return this.http.client.get(url, scope, read, signal);
  }
}

/** The US/Eastern calendar month (`YYYY-MM`) of an instant: what Alpha Vantage's `month` names. */
export function easternMonth(instant: Date): string {
  const local = toLocalDateTime(instant, EASTERN);
  return `${local.year}-${String(local.month).padStart(2, '0')}`;
}

/** The US/Eastern calendar months that [from, to) touches, in order. */
export function easternMonths(from: Date, to: Date): string[] {
  const months: string[] = [];
  const last = easternMonth(new Date(Math.max(from.getTime(), to.getTime() - 1)));
  let cursor = easternMonth(from);
  for (;;) {
    months.push(cursor);
    if (cursor >= last) return months;
    const [year, month] = cursor.split('-').map(Number) as [number, number];
    cursor = month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`;
  }
}
