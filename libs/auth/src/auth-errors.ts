import type { Scope } from './scopes';

/** No credentials, or credentials that do not check out: 401. */
export class AuthenticationError extends Error {
  override readonly name = 'AuthenticationError';

  /**
   * @param invalidToken the client sent a bearer token that failed verification (RFC 6750
   *   `error="invalid_token"`), as opposed to sending nothing usable.
   */
  constructor(
    message: string,
    readonly invalidToken = false,
  ) {
    super(message);
  }
}

/** Valid credentials without the scope the route needs: 403. */
export class MissingScopeError extends Error {
  override readonly name = 'MissingScopeError';

  constructor(readonly missing: readonly Scope[]) {
    super(`the credentials lack the scope${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  }
}

/** The identity provider's key set could not be fetched: not the client's fault, 503. */
export class KeySetUnavailableError extends Error {
  override readonly name = 'KeySetUnavailableError';

  constructor(readonly reason: string) {
    super('the token signing keys cannot be fetched right now');
  }
}

/** An address that failed authentication too often in the current window: 429 until it ends. */
export class TooManyAuthFailuresError extends Error {
  override readonly name = 'TooManyAuthFailuresError';

  constructor(readonly retryAfterSeconds: number) {
    super(`too many failed authentication attempts from this address: retry after ${retryAfterSeconds} s`);
  }
}
