import type { IncomingHttpHeaders } from 'node:http';
import { apiKeyHash } from './api-keys';
import type { AuthConfig } from './auth.config';
import { AuthenticationError } from './auth-errors';
import { JwtVerifier } from './jwt-verifier';
import type { Principal } from './principal';

export const API_KEY_HEADER = 'x-api-key';

const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i;

/**
 * Turns a request's credentials into a Principal: a bearer JWT (Authorization header) or
 * an API key (X-API-Key header, never the query string, which proxies log).
 */
export class Authenticator {
  private readonly jwt: JwtVerifier | null;
  private readonly keysByHash: ReadonlyMap<string, Principal>;

  constructor(config: Pick<AuthConfig, 'jwt' | 'apiKeys'>) {
    this.jwt = config.jwt === null ? null : new JwtVerifier(config.jwt);
    this.keysByHash = new Map(
      config.apiKeys.map((entry) => [entry.sha256, { id: `api-key:${entry.name}`, scopes: new Set(entry.scopes) }]),
    );
  }

  /** The caller, or null when the request carries no credentials at all. */
  async authenticate(headers: IncomingHttpHeaders): Promise<Principal | null> {
    const authorization = headers.authorization;
    const apiKey = headers[API_KEY_HEADER];
    if (authorization !== undefined && apiKey !== undefined) {
      throw new AuthenticationError('send either a bearer token or an API key, not both');
    }
    if (authorization !== undefined) return this.bearer(authorization);
    if (apiKey !== undefined) return this.apiKey(Array.isArray(apiKey) ? apiKey.join(',') : apiKey);
    return null;
  }

  private async bearer(authorization: string): Promise<Principal> {
    const token = BEARER.exec(authorization)?.[1];
    if (token === undefined) {
      throw new AuthenticationError('the Authorization header must be "Bearer <token>"');
    }
    if (this.jwt === null) throw new AuthenticationError('bearer tokens are not accepted here: use an API key');
    return this.jwt.verify(token);
  }

  private apiKey(key: string): Principal {
    // Hashing first makes the lookup independent of how much of a guessed key is right.
    const principal = this.keysByHash.get(apiKeyHash(key));
    if (principal === undefined) throw new AuthenticationError('the API key is not valid');
    return principal;
  }
}
