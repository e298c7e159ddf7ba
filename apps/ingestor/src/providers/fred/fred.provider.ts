import { Inject, Injectable } from '@nestjs/common';
import { normaliseDecimalText } from '@market/domain';
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
import { readCsvBody } from '../provider-payload';
import { expectOk, HttpPriceProvider } from '../http/http-price-provider';

export const FRED_BASE_URL = 'https://fred.stlouisfed.org';

/** FRED's mark for a day without an observation (a holiday). */
const MISSING = '.';
/** The date column: `observation_date` now, `DATE` in older downloads. */
const DATE_COLUMNS = new Set(['observation_date', 'date']);
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Observations of a FRED series CSV (`observation_date,DCOILBRENTEU`) as single-value bars:
 * the value is the close; open, high, low and volume are null. Days marked `.` are skipped.
 */
export function parseFredCsv(body: string, seriesId: string, scope: ProviderErrorScope): ProviderBar[] {
  const [header, ...rows] = readCsvBody(body, scope);
  const [dateColumn = '', valueColumn = ''] = header ?? [];
  if (header?.length !== 2 || !DATE_COLUMNS.has(dateColumn.toLowerCase())) {
    throw new ProviderPayloadError(scope, `unexpected FRED CSV header: ${bodyExcerpt(header?.join(',') ?? body)}`);
  }
  if (valueColumn.toUpperCase() !== seriesId.toUpperCase()) {
    throw new ProviderPayloadError(scope, `FRED sent series ${valueColumn}, not ${seriesId}`);
  }
  const bars: ProviderBar[] = [];
  rows.forEach(([date = '', value = ''], index) => {
    if (value === MISSING) return;
    bars.push({
      ts: isoDate(date, index + 1, scope),
      open: null,
      high: null,
      low: null,
      close: value === '' ? null : normaliseDecimalText(value),
      volume: null,
    });
  });
  return bars;
}

function isoDate(text: string, row: number, scope: ProviderErrorScope): Date {
  const match = ISO_DATE.exec(text);
  const date = match === null ? null : new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  if (date === null || date.toISOString().slice(0, 10) !== text) {
    throw new ProviderPayloadError(scope, `FRED CSV row ${row}: "${text}" is not a date (YYYY-MM-DD)`);
  }
  return date;
}

/** Daily series of the St. Louis Fed (DCOILBRENTEU, DCOILWTICO) from its graph CSV download. */
@Injectable()
export class FredProvider extends HttpPriceProvider {
  readonly name = 'FRED (Federal Reserve Bank of St. Louis)';
  readonly intervals: readonly BarInterval[] = ['1d'];
  /** Counts in UTC. */
  readonly timeZone = 'UTC';

  constructor(@Inject(providerSettings('fred')) options: HttpProviderOptions = {}) {
    super('fred', options, {
      baseUrl: FRED_BASE_URL,
      rateLimit: { requestsPerSecond: 1, burst: 2 },
    });
  }

  async fetchBars(request: FetchRequest, signal?: AbortSignal): Promise<ProviderBar[]> {
    assertFetchable(this, request);
    const scope = fetchScope(this.id, request);
    // cosd and coed are inclusive dates.
    const url = endpointUrl(this.http.baseUrl, '/graph/fredgraph.csv', {
      id: request.symbol,
      cosd: request.from.toISOString().slice(0, 10),
      coed: new Date(request.to.getTime() - 1).toISOString().slice(0, 10),
    });
    const read = (response: ProviderHttpResponse): ProviderBar[] => {
      if (response.status === 404) {
        throw new ProviderUnknownSymbolError(scope, `unknown series (HTTP 404: ${bodyExcerpt(response.body, 120)})`);
      }
      expectOk(response, scope);
      return parseFredCsv(response.body, request.symbol, scope);
    };
    const bars = await this.http.client.get(url, scope, read, signal);
    return bars
      .filter((bar) => bar.ts >= request.from && bar.ts < request.to)
      .sort((a, b) => a.ts.getTime() - b.ts.getTime());
  }
}
