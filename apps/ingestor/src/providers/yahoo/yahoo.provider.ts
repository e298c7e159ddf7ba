import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { plainDecimalFromNumber, roundHalfUp } from '@market/domain';
import { isKnownTimeZone, toLocalDateTime } from '../../normalisation/zoned-time';
import { type HttpProviderOptions, endpointUrl } from '../http/http-provider-options';
import type { ProviderHttpResponse } from '../http/provider-http-client';
import type {
  ActionsRequest,
  BarInterval,
  FetchRequest,
  ProviderAction,
  ProviderBar,
} from '../price-provider.interface';
import { parseYahooEvents } from './yahoo-events';
import { providerSettings } from '../provider-settings';
import {
  ProviderAuthError,
  ProviderPayloadError,
  type ProviderErrorScope,
  ProviderUnknownSymbolError,
  assertFetchable,
  bodyExcerpt,
  fetchScope,
} from '../provider-errors';
import { readJsonBody, readWithSchema, tryJsonBody } from '../provider-payload';
import { HttpPriceProvider } from '../http/http-price-provider';

export const YAHOO_BASE_URL = 'https://query1.finance.yahoo.com';
/** Where Yahoo hands out the session cookie that its crumb is tied to. */
export const YAHOO_SESSION_URL = 'https://fc.yahoo.com';

const YAHOO_INTERVALS: Readonly<Record<BarInterval, string>> = {
  '1m': '1m',
  '5m': '5m',
  '15m': '15m',
  '1h': '60m',
  '1d': '1d',
};

/** Yahoo's default when a response does not declare `priceHint`. */
const DEFAULT_PRICE_HINT = 2;

const series = z.array(z.number().nullable());

const chartSchema = z.object({
  chart: z.object({
    result: z
      .array(
        z.object({
          meta: z.object({
            priceHint: z.number().int().min(0).max(20).optional(),
            exchangeTimezoneName: z.string().optional(),
          }),
          timestamp: z.array(z.number().int()).optional(),
          indicators: z.object({
            quote: z.array(
              z.object({
                open: series.optional(),
                high: series.optional(),
                low: series.optional(),
                close: series.optional(),
                volume: series.optional(),
              }),
            ),
          }),
        }),
      )
      .nullable(),
    error: z.object({ code: z.string(), description: z.string() }).nullable(),
  }),
});

/**
 * Bars of a Yahoo Finance v8 chart response, ascending by ts. Yahoo sends float32 prices
 * (`189.10000610351562`): each is rounded half-up, on its decimal digits, to the `priceHint`
 * the response declares. Minutes without trades come as all-null bars and are skipped (as is
 * any bar whose close is null). Daily bars are stamped 00:00 UTC of their trading date in the
 * exchange's zone, like every other daily source (Yahoo stamps them at the session open).
 */
export function parseYahooChart(body: unknown, interval: BarInterval, scope: ProviderErrorScope): ProviderBar[] {
  const { chart } = readWithSchema(chartSchema, body, scope, 'Yahoo chart response');
  if (chart.error !== null) {
    const said = `${chart.error.code}: ${chart.error.description}`;
    if (chart.error.code === 'Not Found') throw new ProviderUnknownSymbolError(scope, `unknown symbol (${said})`);
    throw new ProviderPayloadError(scope, `Yahoo refused the request (${said})`);
  }
  const result = chart.result?.[0];
  if (result === undefined) throw new ProviderPayloadError(scope, 'Yahoo chart response has neither result nor error');
  const timestamps = result.timestamp ?? [];
  const quote = result.indicators.quote[0] ?? {};
  const scale = result.meta.priceHint ?? DEFAULT_PRICE_HINT;
  const columns = { open: quote.open, high: quote.high, low: quote.low, close: quote.close, volume: quote.volume };
  for (const [name, values] of Object.entries(columns)) {
    if (timestamps.length > 0 && values?.length !== timestamps.length) {
      throw new ProviderPayloadError(
        scope,
        `Yahoo chart response has ${timestamps.length} timestamps but ${values?.length ?? 0} ${name} values`,
      );
    }
  }
  const zone = result.meta.exchangeTimezoneName;
  const dailyZone = zone !== undefined && isKnownTimeZone(zone) ? zone : 'UTC';
  const price = (value: number | null | undefined): string | null => {
    const text = value === null || value === undefined ? null : plainDecimalFromNumber(value);
    return text === null ? null : roundHalfUp(text, scale);
  };
  const bars: ProviderBar[] = [];
  timestamps.forEach((seconds, index) => {
    const close = price(quote.close?.[index]);
    if (close === null) return;
    const volume = quote.volume?.[index];
    bars.push({
      ts: interval === '1d' ? tradingDate(seconds, dailyZone) : new Date(seconds * 1000),
      open: price(quote.open?.[index]),
      high: price(quote.high?.[index]),
      low: price(quote.low?.[index]),
      close,
      volume: volume === null || volume === undefined ? null : plainDecimalFromNumber(volume),
    });
  });
  return bars.sort((a, b) => a.ts.getTime() - b.ts.getTime());
}

function tradingDate(seconds: number, timeZone: string): Date {
  const local = toLocalDateTime(new Date(seconds * 1000), timeZone);
  return new Date(Date.UTC(local.year, local.month - 1, local.day));
}

export interface YahooProviderOptions extends HttpProviderOptions {
  /** Where the session cookie comes from; Yahoo's own host when absent. */
  readonly sessionUrl?: string;
}

/** Yahoo's session cookie and the crumb that must travel with it. */
interface YahooSession {
  readonly cookie: string;
  readonly crumb: string;
}

/**
 * Equities (AAPL) and futures (BZ=F) from Yahoo Finance's chart API. No key, but Yahoo may
 * refuse a request (401 "Invalid Crumb"/"Invalid Cookie") until it carries a session: a
 * cookie from its consent host and the crumb issued for that cookie. The provider asks
 * without one first; on a 401 it opens a session (two requests), repeats the request with
 * it once, and keeps it for later requests, renewing it when Yahoo refuses it again. A 401
 * with a fresh session is final: one clear error, no retry storm.
 */
@Injectable()
export class YahooProvider extends HttpPriceProvider {
  readonly name = 'Yahoo Finance';
  readonly intervals: readonly BarInterval[] = ['1m', '5m', '15m', '1h', '1d'];
  /** US equities: the New York session's clock. */
  readonly timeZone = 'America/New_York';
  readonly calendar = 'XNYS' as const;
  private readonly sessionUrl: string;
  /** Shared by concurrent requests, so a burst of 401s opens one session, not one each. */
  private session: Promise<YahooSession> | null = null;

  constructor(@Inject(providerSettings('yahoo')) options: YahooProviderOptions = {}) {
    super('yahoo', options, {
      baseUrl: YAHOO_BASE_URL,
      rateLimit: { requestsPerSecond: 2, burst: 5 },
      // Yahoo turns away requests without a browser-like User-Agent.
      headers: { 'user-agent': 'Mozilla/5.0 (compatible; market-warehouse/0.1)', accept: 'application/json' },
    });
    this.sessionUrl = options.sessionUrl ?? YAHOO_SESSION_URL;
  }

  async fetchBars(request: FetchRequest, signal?: AbortSignal): Promise<ProviderBar[]> {
    assertFetchable(this, request);
    const scope = fetchScope(this.id, request);
    const read = (response: ProviderHttpResponse): ProviderBar[] => {
      if (response.status === 200) return parseYahooChart(readJsonBody(response.body, scope), request.interval, scope);
      // A 4xx with a chart.error body is Yahoo's way of saying "unknown symbol" or "bad interval".
      const body = tryJsonBody(response.body);
      if (hasChartError(body)) return parseYahooChart(body, request.interval, scope);
      throw new ProviderPayloadError(scope, `unexpected HTTP ${response.status}: ${bodyExcerpt(response.body)}`);
    };
    const chart = (session: YahooSession | null): Promise<ProviderBar[]> =>
      this.http.client.get(chartUrl(this.http.baseUrl, request, session), scope, read, signal, sessionHeaders(session));
    const held = this.session;
    let bars: ProviderBar[];
    try {
      bars = await chart(held === null ? null : await held.catch(() => null));
    } catch (error) {
      if (!(error instanceof ProviderAuthError)) throw error;
      const session = await this.renewSession(held, scope, signal);
      bars = await chart(session).catch((refused: unknown) => {
        if (!(refused instanceof ProviderAuthError)) throw refused;
        throw new ProviderAuthError(scope, `${refused.detail}, even with a fresh session cookie and crumb`);
      });
    }
    return bars.filter((bar) => bar.ts >= request.from && bar.ts < request.to);
  }

  /**
   * Splits and dividends from the chart API's events (`events=div,splits`), asked up to now:
   * Yahoo's dividend amounts are adjusted for later splits, which the response must hold to
   * restore them (yahoo-events.ts). Uses the session the bars' requests opened, if any.
   */
  async fetchActions(request: ActionsRequest, signal?: AbortSignal): Promise<ProviderAction[]> {
    const scope: ProviderErrorScope = {
      providerId: this.id,
      symbol: request.symbol,
      from: request.from,
      to: request.to,
    };
    const session = this.session === null ? null : await this.session.catch(() => null);
    const url = endpointUrl(this.http.baseUrl, `/v8/finance/chart/${encodeURIComponent(request.symbol)}`, {
      period1: String(Math.floor(request.from.getTime() / 1000)),
      period2: String(Math.ceil(Math.max(request.to.getTime(), Date.now()) / 1000)),
      interval: '1d',
      events: 'div,splits',
      ...(session === null ? {} : { crumb: session.crumb }),
    });
    const read = (response: ProviderHttpResponse): ProviderAction[] => {
      if (response.status === 200) return parseYahooEvents(readJsonBody(response.body, scope), scope);
      throw new ProviderPayloadError(scope, `unexpected HTTP ${response.status}: ${bodyExcerpt(response.body)}`);
    };
    return this.http.client.get(url, scope, read, signal, sessionHeaders(session));
  }

  /** A new session, unless another request already replaced the one that was refused. */
  private renewSession(
    refused: Promise<YahooSession> | null,
    scope: ProviderErrorScope,
    signal?: AbortSignal,
  ): Promise<YahooSession> {
    if (this.session !== null && this.session !== refused) return this.session;
    const opening = this.openSession(scope, signal);
    this.session = opening;
    // A session that could not be opened is not kept: the next request tries again.
    opening.catch(() => {
      if (this.session === opening) this.session = null;
    });
    return opening;
  }

  private async openSession(scope: ProviderErrorScope, signal?: AbortSignal): Promise<YahooSession> {
    const cookie = await this.http.client.get(
      new URL(this.sessionUrl),
      scope,
      (response) => sessionCookie(response, scope),
      signal,
    );
    const crumb = await this.http.client.get(
      endpointUrl(this.http.baseUrl, '/v1/test/getcrumb', {}),
      scope,
      (response) => crumbOf(response, scope),
      signal,
      { cookie },
    );
    return { cookie, crumb };
  }
}

function chartUrl(baseUrl: string, request: FetchRequest, session: YahooSession | null): URL {
  return endpointUrl(baseUrl, `/v8/finance/chart/${encodeURIComponent(request.symbol)}`, {
    period1: String(Math.floor(request.from.getTime() / 1000)),
    period2: String(Math.ceil(request.to.getTime() / 1000)),
    interval: YAHOO_INTERVALS[request.interval],
    includePrePost: 'false',
    events: '',
    ...(session === null ? {} : { crumb: session.crumb }),
  });
}

function sessionHeaders(session: YahooSession | null): Readonly<Record<string, string>> {
  return session === null ? {} : { cookie: session.cookie };
}

/** The `name=value` pairs of every Set-Cookie (whatever the status: Yahoo's consent host answers 404). */
function sessionCookie(response: ProviderHttpResponse, scope: ProviderErrorScope): string {
  const pairs = response.headers
    .getSetCookie()
    .map((header) => header.split(';', 1)[0]?.trim() ?? '')
    .filter((pair) => pair.includes('='));
  if (pairs.length === 0) {
    throw new ProviderAuthError(scope, `Yahoo set no session cookie (HTTP ${response.status})`);
  }
  return pairs.join('; ');
}

/** A crumb is a short token of printable characters, sent back as plain text. */
const CRUMB = /^[\x21-\x7e]{1,64}$/;

function crumbOf(response: ProviderHttpResponse, scope: ProviderErrorScope): string {
  const crumb = response.body.trim();
  if (response.status !== 200 || !CRUMB.test(crumb) || crumb.includes('<')) {
    throw new ProviderAuthError(scope, `Yahoo gave no crumb (HTTP ${response.status}: ${bodyExcerpt(response.body)})`);
  }
  return crumb;
}

function hasChartError(body: unknown): boolean {
  const error = chartSchema.safeParse(body).data?.chart.error;
  return error !== null && error !== undefined;
}
