import { ProviderHttpClient, type ProviderHttpClientOptions } from './provider-http-client';
import { TokenBucket } from './token-bucket';

export interface RateLimit {
  readonly requestsPerSecond: number;
  readonly burst: number;
}

/** What every HTTP-backed provider takes in its constructor; all of it comes from config. */
export interface HttpProviderOptions {
  /** Scheme, host and optional path prefix; the provider's public API when absent. */
  readonly baseUrl?: string;
  /** Per request attempt. Default 10 s. */
  readonly timeoutMs?: number;
  /** Attempts per request, the first included. Default 4. */
  readonly maxAttempts?: number;
  /** The token bucket this provider holds itself to; each provider has a default. */
  readonly rateLimit?: RateLimit;
  /** Fine tuning of the retry policy, and the clock, sleep and jitter that tests replace. */
  readonly retry?: Pick<
    ProviderHttpClientOptions,
    'baseDelayMs' | 'maxDelayMs' | 'maxRetryAfterMs' | 'sleep' | 'now' | 'random'
  >;
}

export interface ProviderDefaults {
  readonly baseUrl: string;
  readonly rateLimit: RateLimit;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface ProviderHttp {
  readonly baseUrl: string;
  readonly rateLimit: RateLimit;
  readonly client: ProviderHttpClient;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** The HTTP client of one provider instance, paced by its own token bucket. */
export function createProviderHttp(
  providerId: string,
  options: HttpProviderOptions,
  defaults: ProviderDefaults,
): ProviderHttp {
  const rateLimit = options.rateLimit ?? defaults.rateLimit;
  const pacer = new TokenBucket({ ...rateLimit, now: options.retry?.now, sleep: options.retry?.sleep });
  const client = new ProviderHttpClient({
    providerId,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxAttempts: options.maxAttempts,
    headers: defaults.headers,
    pacer,
    ...options.retry,
  });
  return { baseUrl: options.baseUrl ?? defaults.baseUrl, rateLimit, client };
}

/** `baseUrl` + `path` + query; a path prefix in `baseUrl` is kept (unlike `new URL(path, base)`). */
export function endpointUrl(baseUrl: string, path: string, query: Readonly<Record<string, string>>): URL {
  const url = new URL(`${baseUrl.replace(/\/+$/, '')}${path}`);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return url;
}
