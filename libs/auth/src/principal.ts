/** Who is calling, once authenticated: logged and used as the rate-limit key, never a secret. */
export interface Principal {
  /** `jwt:<sub>` or `api-key:<name>`. */
  readonly id: string;
  readonly scopes: ReadonlySet<string>;
}

/** The request property the auth guard sets for the handlers and the rate limiter after it. */
export interface AuthenticatedRequest {
  principal?: Principal;
}
