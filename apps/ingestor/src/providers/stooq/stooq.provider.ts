import { Inject, Injectable } from '@nestjs/common';
import { normaliseDecimalText } from '@market/domain';
import { type HttpProviderOptions, endpointUrl } from '../http/http-provider-options';
import type { ProviderHttpResponse } from '../http/provider-http-client';
import type { BarInterval, FetchRequest, ProviderBar } from '../price-provider.interface';
import { providerSettings } from '../provider-settings';
import {
  ProviderPayloadError,
  type ProviderErrorScope,
  ProviderRateLimitError,
  assertFetchable,
  bodyExcerpt,
  fetchScope,
  untilNextUtcDay,
} from '../provider-errors';
import { readCsvBody } from '../provider-payload';
import { expectOk, HttpPriceProvider } from '../http/http-price-provider';

export const STOOQ_BASE_URL = 'https://stooq.com';

/** Stooq answers a window without quotes, or an unknown symbol, with this body (Polish: "Brak danych"). */
const NO_DATA = /^(no data|brak danych)$/i;
/** Stooq's throttling body; it counts hits per day. */
const DAILY_LIMIT = /exceeded the daily hits limit/i;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Bars of a Stooq daily CSV (`Date,Open,High,Low,Close[,Volume[,OpenInt]]`), each stamped
 * 00:00 UTC of its date. Indices have no Volume column; futures add OpenInt (ignored).
 * Numbers are kept as written, an exponent (`1.04434e+05`) expanded to plain digits.
 */
export function parseStooqCsv(body: string, scope: ProviderErrorScope): ProviderBar[] {
  if (NO_DATA.test(body.trim())) return [];
  const [header, ...rows] = readCsvBody(body, scope);
  const column = (name: string): number => header?.findIndex((cell) => cell.toLowerCase() === name) ?? -1;
  const at = { date: column('date'), open: column('open'), high: column('high'), low: column('low') };
  const closeAt = column('close');
  const volumeAt = column('volume');
  if (at.date < 0 || closeAt < 0) {
    throw new ProviderPayloadError(scope, `unexpected Stooq CSV header: ${bodyExcerpt(header?.join(',') ?? body)}`);
  }
  return rows.map((row, index) => {
    const cell = (position: number): string | null => {
      const text = position < 0 ? '' : (row[position] ?? '');
      return text === '' ? null : normaliseDecimalText(text);
    };
    return {
      ts: isoDate(row[at.date] ?? '', index + 1, scope),
      open: cell(at.open),
      high: cell(at.high),
      low: cell(at.low),
      close: cell(closeAt),
      volume: cell(volumeAt),
    };
  });
}

function isoDate(text: string, line: number, scope: ProviderErrorScope): Date {
  const match = ISO_DATE.exec(text);
  const date = match === null ? null : new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  if (date === null || date.toISOString().slice(0, 10) !== text) {
    throw new ProviderPayloadError(scope, `Stooq CSV row ${line}: "${text}" is not a date (YYYY-MM-DD)`);
  }
  return date;
}

/** YYYYMMDD of an instant's UTC date. */
function compactDate(instant: Date): string {
  return instant.toISOString().slice(0, 10).replaceAll('-', '');
}

/** Daily bars of equities, indices and futures (aapl.us, ^spx, cb.f) from Stooq's CSV download. */
@Injectable()
export class StooqProvider extends HttpPriceProvider {
  readonly name = 'Stooq';
  readonly intervals: readonly BarInterval[] = ['1d'];
  /** US equities: the New York session's clock. */
  readonly timeZone = 'America/New_York';
  readonly calendar = 'XNYS' as const;
  private readonly now: () => number;

  constructor(@Inject(providerSettings('stooq')) options: HttpProviderOptions = {}) {
    super('stooq', options, {
      baseUrl: STOOQ_BASE_URL,
      rateLimit: { requestsPerSecond: 1, burst: 2 },
    });
    this.now = options.retry?.now ?? Date.now;
  }

  async fetchBars(request: FetchRequest, signal?: AbortSignal): Promise<ProviderBar[]> {
    assertFetchable(this, request);
    const scope = fetchScope(this.id, request);
    // d1 and d2 are both inclusive dates.
    const url = endpointUrl(this.http.baseUrl, '/q/d/l/', {
      s: request.symbol.toLowerCase(),
      i: 'd',
      d1: compactDate(request.from),
      d2: compactDate(new Date(request.to.getTime() - 1)),
    });
    const read = (response: ProviderHttpResponse): ProviderBar[] => {
      expectOk(response, scope);
      if (DAILY_LIMIT.test(response.body)) {
        const retryAfterMs = untilNextUtcDay(this.now());
        throw new ProviderRateLimitError(scope, `daily quota used up (${bodyExcerpt(response.body)})`, retryAfterMs);
      }
      return parseStooqCsv(response.body, scope);
    };
    const bars = await this.http.client.get(url, scope, read, signal);
    return bars
      .filter((bar) => bar.ts >= request.from && bar.ts < request.to)
      .sort((a, b) => a.ts.getTime() - b.ts.getTime());
  }
}
