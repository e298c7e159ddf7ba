import type { BarInterval, FetchRequest, PriceProvider } from './price-provider.interface';

/** What a failed call was about; every provider error message names all of it. */
export interface ProviderErrorScope {
  readonly providerId: string;
  readonly symbol: string;
  /** Absent for a file import, which has no window. */
  readonly from?: Date;
  readonly to?: Date;
  readonly interval?: BarInterval;
}

/** The scope of a fetch. */
export function fetchScope(providerId: string, request: FetchRequest): ProviderErrorScope {
  return { providerId, symbol: request.symbol, from: request.from, to: request.to, interval: request.interval };
}

function describeScope(scope: ProviderErrorScope): string {
  const interval = scope.interval === undefined ? '' : ` ${scope.interval}`;
  const window =
    scope.from === undefined || scope.to === undefined
      ? ''
      : ` [${scope.from.toISOString()}, ${scope.to.toISOString()})`;
  return `${scope.providerId} ${scope.symbol}${interval}${window}`;
}

/**
 * Base of every provider failure. The message reads
 * `yahoo AAPL 1m [2025-08-01T00:00:00.000Z, 2025-08-02T00:00:00.000Z): <detail>`.
 */
export class ProviderError extends Error {
  override readonly name: string = 'ProviderError';
  /** Whether trying again later may succeed (rate limits, outages); jobs use it to decide. */
  readonly retryable: boolean = false;

  constructor(
    readonly scope: ProviderErrorScope,
    readonly detail: string,
    options?: ErrorOptions,
  ) {
    super(`${describeScope(scope)}: ${detail}`, options);
  }
}

/** Bad or missing credentials (HTTP 401/403, an invalid API key body). Never retried. */
export class ProviderAuthError extends ProviderError {
  override readonly name = 'ProviderAuthError';
}

/** A failure worth retrying, possibly with the wait the provider asked for. */
export abstract class RetryableProviderError extends ProviderError {
  override readonly retryable = true;

  constructor(
    scope: ProviderErrorScope,
    detail: string,
    /** How long the provider asked us to wait (`Retry-After` or its own hint), when it said. */
    readonly retryAfterMs?: number,
    options?: ErrorOptions,
  ) {
    super(scope, detail, options);
  }
}

/** The provider throttled us (HTTP 429/418 or a throttling body). */
export class ProviderRateLimitError extends RetryableProviderError {
  override readonly name = 'ProviderRateLimitError';
}

/** The provider could not answer: HTTP 5xx, a timeout, a network error. */
export class ProviderUnavailableError extends RetryableProviderError {
  override readonly name = 'ProviderUnavailableError';
}

/** The provider answered something we cannot read as its documented format. */
export class ProviderPayloadError extends ProviderError {
  override readonly name: string = 'ProviderPayloadError';
}

/** The provider says the symbol does not exist (Yahoo "Not Found", Binance -1121, ...). */
export class ProviderUnknownSymbolError extends ProviderPayloadError {
  override readonly name = 'ProviderUnknownSymbolError';
}

/** A request for a bar width the provider does not serve (check `provider.intervals` first). */
export class ProviderUnsupportedIntervalError extends ProviderError {
  override readonly name = 'ProviderUnsupportedIntervalError';
}

/**
 * Checks a request before any I/O: a RangeError for a window that is not `from < to` (a
 * caller's bug), ProviderUnsupportedIntervalError for an interval the provider lacks.
 */
export function assertFetchable(provider: PriceProvider, request: FetchRequest): void {
  const from = request.from.getTime();
  const to = request.to.getTime();
  if (Number.isNaN(from) || Number.isNaN(to) || from >= to) {
    const shown = (ms: number): string => (Number.isNaN(ms) ? 'an invalid date' : new Date(ms).toISOString());
    throw new RangeError(
      `${provider.id} ${request.symbol}: the window must have from < to, got [${shown(from)}, ${shown(to)})`,
    );
  }
  if (provider.intervals.includes(request.interval)) return;
  throw new ProviderUnsupportedIntervalError(
    fetchScope(provider.id, request),
    `${provider.name} serves ${provider.intervals.join(', ')} bars, not ${request.interval}`,
  );
}

/** A short, single-line excerpt of a response body for an error message. */
export function bodyExcerpt(body: string, maxLength = 200): string {
  const line = body.replace(/\s+/g, ' ').trim();
  return line.length <= maxLength ? line : `${line.slice(0, maxLength)}…`;
}

/**
 * The wait a daily quota implies when the provider does not say when it resets: until the
 * next UTC midnight. Long enough that the HTTP client hands it straight to the caller.
 */
export function untilNextUtcDay(nowMs: number): number {
  const day = 86_400_000;
  return (Math.floor(nowMs / day) + 1) * day - nowMs;
}
