/**
 * Domain errors of the read API. Services throw these and know nothing of HTTP; the
 * ProblemDetailsFilter maps each to one problem+json response.
 */

export type ResourceKind = 'asset' | 'commodity' | 'quote';

/** An id that names nothing in the catalog (or an asset without a quote yet). */
export class ResourceNotFoundError extends Error {
  override readonly name = 'ResourceNotFoundError';

  constructor(
    readonly resource: ResourceKind,
    readonly id: string,
  ) {
    super(resource === 'quote' ? `no quote recorded for asset "${id}"` : `unknown ${resource} "${id}"`);
  }
}

/** A query parameter that is well-formed for the validator but wrong for the domain. */
export class InvalidQueryError extends Error {
  override readonly name = 'InvalidQueryError';

  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message);
  }
}

/** A request that would read more base rows than the configured cap. */
export class RangeTooLargeError extends Error {
  override readonly name = 'RangeTooLargeError';

  constructor(
    readonly capRows: number,
    readonly baseRows: number,
  ) {
    super(
      `the request would read up to ${baseRows} base rows; the cap is ${capRows} rows per request ` +
        '(RANGE_CAP_POINTS): lower limit',
    );
  }
}

/** The request did not finish within REQUEST_TIMEOUT_MS. */
export class RequestTimedOutError extends Error {
  override readonly name = 'RequestTimedOutError';

  constructor(readonly timeoutMs: number) {
    super(`the request did not finish within ${timeoutMs} ms`);
  }
}

/** Symbols of a multi-series read that name nothing in the catalog: all of them, in request order. */
export class UnknownSymbolsError extends Error {
  override readonly name = 'UnknownSymbolsError';

  constructor(readonly symbols: readonly string[]) {
    super(
      `unknown symbol${symbols.length === 1 ? '' : 's'} ${symbols.map((symbol) => `"${symbol}"`).join(', ')} ` +
        '(looked up among assets, then commodities)',
    );
  }
}
