import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { barIntervalMs, normaliseDecimalText } from '@market/domain';
import { type HttpProviderOptions, endpointUrl } from '../http/http-provider-options';
import type { ProviderHttpResponse } from '../http/provider-http-client';
import type { BarInterval, FetchRequest, ProviderBar } from '../price-provider.interface';
import { providerSettings } from '../provider-settings';
import {
  ProviderPayloadError,
  type ProviderErrorScope,
  ProviderUnknownSymbolError,
  assertFetchable,
  bodyExcerpt,
  fetchScope,
} from '../provider-errors';
import { readJsonBody, readWithSchema, tryJsonBody } from '../provider-payload';
import { HttpPriceProvider } from '../http/http-price-provider';

export const BINANCE_BASE_URL = 'https://api.binance.com';

/** Binance's maximum page; a longer window takes several requests. */
export const BINANCE_KLINES_LIMIT = 1000;

/** Binance: -1121 "Invalid symbol." */
const INVALID_SYMBOL = -1121;

/** [openTime, open, high, low, close, volume, closeTime, quoteVolume, trades, ...]. */
const klineSchema = z.tuple(
  [z.number().int(), z.string(), z.string(), z.string(), z.string(), z.string()],
  z.unknown(),
);
const klinesSchema = z.array(klineSchema);
const errorSchema = z.object({ code: z.number().int(), msg: z.string() });

export interface Kline {
  readonly bar: ProviderBar;
  readonly openTime: number;
}

/**
 * Bars of a Binance klines response. Prices and volume are kept as the strings Binance
 * sends ("115764.08000000"): they are already exact. The volume is the base asset's
 * (BTC for BTCUSDT), fractional; the validator decides how it is stored.
 */
export function parseBinanceKlines(body: unknown, scope: ProviderErrorScope): Kline[] {
  const klines = readWithSchema(klinesSchema, body, scope, 'Binance klines response');
  return klines.map(([openTime, open, high, low, close, volume]) => ({
    openTime,
    bar: {
      ts: new Date(openTime),
      open: normaliseDecimalText(open),
      high: normaliseDecimalText(high),
      low: normaliseDecimalText(low),
      close: normaliseDecimalText(close),
      volume: normaliseDecimalText(volume),
    },
  }));
}

/** Crypto pairs (BTCUSDT) from Binance's public klines endpoint. No key needed. */
@Injectable()
export class BinanceProvider extends HttpPriceProvider {
  readonly name = 'Binance';
  // Binance's interval names are ours.
  readonly intervals: readonly BarInterval[] = ['1m', '5m', '15m', '1h', '1d'];
  /** Counts in UTC. */
  readonly timeZone = 'UTC';
  readonly calendar = '24/7' as const;

  constructor(@Inject(providerSettings('binance')) options: HttpProviderOptions = {}) {
    // Binance allows 6000 request weight a minute; klines weigh 2. Stay far below.
    super('binance', options, {
      baseUrl: BINANCE_BASE_URL,
      rateLimit: { requestsPerSecond: 5, burst: 10 },
    });
  }

  /** Pages through the window 1000 klines at a time, each page starting after the last. */
  async fetchBars(request: FetchRequest, signal?: AbortSignal): Promise<ProviderBar[]> {
    assertFetchable(this, request);
    const scope = fetchScope(this.id, request);
    // Binance's startTime and endTime are both inclusive, on the kline's open time.
    const endTime = request.to.getTime() - 1;
    const bars: ProviderBar[] = [];
    let startTime = request.from.getTime();
    while (startTime <= endTime) {
      const url = endpointUrl(this.http.baseUrl, '/api/v3/klines', {
        symbol: request.symbol,
        interval: request.interval,
        startTime: String(startTime),
        endTime: String(endTime),
        limit: String(BINANCE_KLINES_LIMIT),
      });
      const page = await this.http.client.get(url, scope, (response) => this.readPage(response, scope), signal);
      bars.push(...page.map((kline) => kline.bar));
      const last = page.at(-1);
      if (page.length < BINANCE_KLINES_LIMIT || last === undefined) break;
      if (last.openTime < startTime) {
        throw new ProviderPayloadError(scope, `Binance returned a page ending before its startTime ${startTime}`);
      }
      startTime = last.openTime + 1;
      // A full page that reaches the end of the window needs no empty follow-up request.
      if (last.openTime + barIntervalMs(request.interval) > endTime) break;
    }
    return bars
      .filter((bar) => bar.ts >= request.from && bar.ts < request.to)
      .sort((a, b) => a.ts.getTime() - b.ts.getTime());
  }

  private readPage(response: ProviderHttpResponse, scope: ProviderErrorScope): Kline[] {
    if (response.status === 200) return parseBinanceKlines(readJsonBody(response.body, scope), scope);
    const error = errorSchema.safeParse(tryJsonBody(response.body)).data;
    if (error === undefined) {
      throw new ProviderPayloadError(scope, `unexpected HTTP ${response.status}: ${bodyExcerpt(response.body)}`);
    }
    const said = `Binance error ${error.code}: ${error.msg}`;
    if (error.code === INVALID_SYMBOL) throw new ProviderUnknownSymbolError(scope, `unknown symbol (${said})`);
    throw new ProviderPayloadError(scope, said);
  }
}
