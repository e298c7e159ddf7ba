import type { BarInterval, FetchRequest, PriceProvider, ProviderBar } from '../price-provider.interface';
import { bodyExcerpt, type ProviderErrorScope, ProviderPayloadError } from '../provider-errors';
import {
  createProviderHttp,
  type HttpProviderOptions,
  type ProviderDefaults,
  type ProviderHttp,
  type RateLimit,
} from './http-provider-options';
import type { ProviderHttpResponse } from './provider-http-client';

/**
 * A provider that fetches over HTTP: its own client, paced by its own token bucket, with
 * base URL, timeout, retries and rate limit from config over the provider's defaults.
 * Subclasses say what to ask and how to read the answer.
 */
export abstract class HttpPriceProvider implements PriceProvider {
  abstract readonly name: string;
  abstract readonly intervals: readonly BarInterval[];
  readonly url: string;
  readonly rateLimit: RateLimit;
  protected readonly http: ProviderHttp;

  protected constructor(
    readonly id: string,
    options: HttpProviderOptions,
    defaults: ProviderDefaults,
  ) {
    this.http = createProviderHttp(id, options, defaults);
    this.url = this.http.baseUrl;
    this.rateLimit = this.http.rateLimit;
  }

  abstract fetchBars(request: FetchRequest, signal?: AbortSignal): Promise<ProviderBar[]>;
}

/** Any answer but 200 that the client did not already classify (429, 5xx, 401/403) is a payload error. */
export function expectOk(response: ProviderHttpResponse, scope: ProviderErrorScope): void {
  if (response.status !== 200) {
    throw new ProviderPayloadError(scope, `unexpected HTTP ${response.status}: ${bodyExcerpt(response.body)}`);
  }
}
