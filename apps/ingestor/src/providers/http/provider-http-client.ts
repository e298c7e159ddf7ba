import { setTimeout as delay } from 'node:timers/promises';
import {
  ProviderAuthError,
  ProviderError,
  type ProviderErrorScope,
  ProviderRateLimitError,
  ProviderUnavailableError,
  type RetryableProviderError,
  bodyExcerpt,
} from '../provider-errors';
import type { RequestPacer } from './token-bucket';

/** A response read to the end, handed to the provider's parser. */
export interface ProviderHttpResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

export interface ProviderHttpClientOptions {
  readonly providerId: string;
  /** Per attempt, covering connect, headers and body. */
  readonly timeoutMs: number;
  /** Attempts in all, the first included. Default 4. */
  readonly maxAttempts?: number;
  /** Backoff before retry n is uniform in [0, min(maxDelayMs, baseDelayMs × 2^(n-1))]. */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /**
   * A `Retry-After` (or a provider's own hint) longer than this is not waited out here: the
   * error goes to the caller at once, carrying `retryAfterMs`, so a job can defer instead of
   * holding a worker for minutes. Default 60 s.
   */
  readonly maxRetryAfterMs?: number;
  /** Paces every attempt, retries included (the provider's token bucket). */
  readonly pacer?: RequestPacer;
  readonly headers?: Readonly<Record<string, string>>;
  /** Injectable for tests. `sleep` must reject when the signal aborts. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly now?: () => number;
  /** In [0, 1), for the jitter. */
  readonly random?: () => number;
}

/** Reads a successful (or provider-specific 4xx) response; may throw a ProviderError. */
export type ResponseReader<T> = (response: ProviderHttpResponse) => T;

const DEFAULT_MAX_ATTEMPTS = 4;
const DEFAULT_BASE_DELAY_MS = 500;
const DEFAULT_MAX_DELAY_MS = 20_000;
const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;

/**
 * GETs for one provider: a timeout per attempt, retries with exponential backoff and full
 * jitter on 429/418, 5xx, timeouts and network errors (and on retryable errors the reader
 * throws, such as a throttling body), `Retry-After` honoured, credentials failures surfaced
 * once. Error messages never contain the URL, which may carry an API key.
 */
export class ProviderHttpClient {
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly now: () => number;
  private readonly random: () => number;

  constructor(private readonly options: ProviderHttpClientOptions) {
    if (!Number.isInteger(options.timeoutMs) || options.timeoutMs < 1) {
      throw new RangeError(`${options.providerId}: timeoutMs must be a positive integer, got ${options.timeoutMs}`);
    }
    this.maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    if (!Number.isInteger(this.maxAttempts) || this.maxAttempts < 1) {
      throw new RangeError(`${options.providerId}: maxAttempts must be a positive integer, got ${this.maxAttempts}`);
    }
    this.baseDelayMs = options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
    this.maxDelayMs = options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
    this.sleep = options.sleep ?? ((ms, signal) => delay(ms, undefined, { signal }));
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
  }

  /**
   * GETs `url` and hands the response to `read`, retrying as described above. Statuses
   * 401/403, 418/429 and 5xx never reach `read`; every other status does, so a provider can
   * turn its own 4xx bodies into precise errors.
   */
  async get<T>(
    url: URL,
    scope: ProviderErrorScope,
    read: ResponseReader<T>,
    signal?: AbortSignal,
    headers: Readonly<Record<string, string>> = {},
  ): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.options.pacer?.take(signal);
        const response = await this.send(url, scope, signal, headers);
        return read(response);
      } catch (error) {
        if (signal?.aborted === true) throw signal.reason;
        if (!(error instanceof ProviderRateLimitError || error instanceof ProviderUnavailableError)) throw error;
        const waitMs = this.retryDelay(error, attempt);
        if (waitMs === null) throw this.givenUp(error, attempt);
        await this.sleep(waitMs, signal);
      }
    }
  }

  /** One attempt: a response, or the ProviderError its status means. */
  private async send(
    url: URL,
    scope: ProviderErrorScope,
    signal: AbortSignal | undefined,
    headers: Readonly<Record<string, string>>,
  ): Promise<ProviderHttpResponse> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const attemptSignal = signal === undefined ? timeout : AbortSignal.any([signal, timeout]);
    let response: ProviderHttpResponse;
    try {
      const reply = await fetch(url, { headers: { ...this.options.headers, ...headers }, signal: attemptSignal });
      response = { status: reply.status, headers: reply.headers, body: await reply.text() };
    } catch (error) {
      if (signal?.aborted === true) throw signal.reason;
      if (timeout.aborted) {
        throw new ProviderUnavailableError(scope, `no complete response within ${this.options.timeoutMs} ms`);
      }
      throw new ProviderUnavailableError(scope, `network error: ${networkErrorText(error)}`, undefined, {
        cause: error,
      });
    }
    const { status } = response;
    const said = bodyExcerpt(response.body);
    if (status === 401 || status === 403) {
      throw new ProviderAuthError(scope, `credentials rejected (HTTP ${status}${said === '' ? '' : `: ${said}`})`);
    }
    if (status === 429 || status === 418) {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), this.now());
      throw new ProviderRateLimitError(
        scope,
        `rate limited (HTTP ${status}${said === '' ? '' : `: ${said}`})`,
        retryAfterMs,
      );
    }
    if (status >= 500) {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), this.now());
      throw new ProviderUnavailableError(scope, `HTTP ${status}${said === '' ? '' : `: ${said}`}`, retryAfterMs);
    }
    return response;
  }

  /** Milliseconds to wait before the next attempt, or null to give up now. */
  private retryDelay(error: RetryableProviderError, attempt: number): number | null {
    if (attempt >= this.maxAttempts) return null;
    if (error.retryAfterMs !== undefined) {
      return error.retryAfterMs > this.maxRetryAfterMs ? null : error.retryAfterMs;
    }
    const ceiling = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1));
    return Math.floor(this.random() * ceiling);
  }

  private givenUp(error: RetryableProviderError, attempt: number): ProviderError {
    const afterAttempts = attempt === 1 ? '' : ` (gave up after ${attempt} attempts)`;
    const waitTooLong =
      error.retryAfterMs !== undefined && error.retryAfterMs > this.maxRetryAfterMs && attempt < this.maxAttempts
        ? ` (asked to wait ${Math.ceil(error.retryAfterMs / 1000)} s, longer than this client waits)`
        : '';
    const detail = `${error.detail}${waitTooLong}${afterAttempts}`;
    return error instanceof ProviderRateLimitError
      ? new ProviderRateLimitError(error.scope, detail, error.retryAfterMs, { cause: error.cause })
      : new ProviderUnavailableError(error.scope, detail, error.retryAfterMs, { cause: error.cause });
  }
}

/**
 * `Retry-After` in milliseconds: delta-seconds (`120`) or an HTTP date (in the past → 0);
 * undefined when absent or unreadable.
 */
export function parseRetryAfter(header: string | null, nowMs: number): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP date starts with the day name ("Wed, 21 Oct 2015 07:28:00 GMT").
  if (!/^[A-Za-z]{3}/.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/**
 * Undici reports "fetch failed" and puts the real reason (ECONNREFUSED, ...) in `cause`.
 * Read structurally: fetch's errors come from Node's own realm, where `instanceof Error`
 * against another realm's Error (Jest's sandbox) is false.
 */
function networkErrorText(error: unknown): string {
  const message = textField(error, 'message') ?? String(error);
  const cause: unknown = typeof error === 'object' && error !== null ? Reflect.get(error, 'cause') : undefined;
  const reason = textField(cause, 'code') ?? textField(cause, 'message');
  return reason === undefined ? message : `${message} (${reason})`;
}

function textField(value: unknown, key: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const field: unknown = Reflect.get(value, key);
  return typeof field === 'string' && field !== '' ? field : undefined;
}
