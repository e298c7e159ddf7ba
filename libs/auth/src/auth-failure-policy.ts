import type { Request } from 'express';
import type { AuthenticationError } from './auth-errors';

/**
 * The injection token of an app's answer to a failed authentication. The API provides one
 * that limits failures per client address (a 429 once the budget is spent); without one the
 * guard answers the 401 itself.
 */
export const AUTH_FAILURE_POLICY = Symbol('AUTH_FAILURE_POLICY');

/** What the AuthGuard throws for a failed authentication: the 401 it was given, or another error (e.g. a 429). */
export interface AuthFailurePolicy {
  failed(request: Request, error: AuthenticationError): Promise<Error>;
}
