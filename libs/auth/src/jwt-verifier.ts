import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { HMAC_ALGORITHMS, JWKS_ALGORITHMS } from './jwt-algorithms';
import type { JwtConfig } from './auth.config';
import { AuthenticationError, KeySetUnavailableError } from './auth-errors';
import type { Principal } from './principal';

/** Scopes from `scope` (space-separated, RFC 8693) or `scp` (a string or a list, as some IdPs issue). */
export function scopesOf(payload: JWTPayload): Set<string> {
  const scopes = new Set<string>();
  for (const claim of [payload['scope'], payload['scp']]) {
    const values = typeof claim === 'string' ? claim.split(' ') : Array.isArray(claim) ? claim : [];
    for (const value of values) if (typeof value === 'string' && value !== '') scopes.add(value);
  }
  return scopes;
}

/** What a client is told about a rejected token: enough to fix it, nothing about our keys. */
function rejection(error: unknown, remoteKeys: boolean): Error {
  // A key set that times out, does not parse, or fails below jose (the fetch itself).
  if (
    remoteKeys &&
    (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || !(error instanceof errors.JOSEError))
  ) {
    return new KeySetUnavailableError(error instanceof Error ? error.message : String(error));
  }
  if (error instanceof errors.JWTExpired) return new AuthenticationError('the bearer token has expired', true);
  if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'exp' && error.reason === 'missing') {
    return new AuthenticationError('the bearer token has no "exp" claim: only tokens that expire are accepted', true);
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    return new AuthenticationError(`the bearer token's "${error.claim}" claim is not accepted`, true);
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return new AuthenticationError('the bearer token is signed with an algorithm that is not accepted', true);
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    return new AuthenticationError('the bearer token is signed by an unknown key', true);
  }
  return new AuthenticationError('the bearer token is not a valid signed JWT', true);
}

/** Verifies bearer JWTs against the configured key source, issuer and audience. */
export class JwtVerifier {
  /** One resolver for every key source, so a single jwtVerify call serves them all. */
  private readonly key: JWTVerifyGetKey;
  private readonly algorithms: string[];

  constructor(private readonly config: JwtConfig) {
    const { keySource } = config;
    switch (keySource.kind) {
      case 'secret':
        this.key = () => keySource.secret;
        this.algorithms = HMAC_ALGORITHMS;
        break;
      case 'public-key':
        this.key = () => keySource.key;
        this.algorithms = [...keySource.algorithms];
        break;
      case 'jwks':
        // jose caches the set, refetches on an unknown `kid` at most every 30 s, and times out after 5 s.
        this.key = createRemoteJWKSet(keySource.url);
        this.algorithms = JWKS_ALGORITHMS;
        break;
    }
  }

  async verify(token: string): Promise<Principal> {
    let payload: JWTPayload;
    try {
      const options = {
        algorithms: this.algorithms,
        clockTolerance: this.config.clockToleranceSeconds,
        // A token without exp would be valid forever, however it leaked.
        requiredClaims: ['exp'],
        ...(this.config.issuer === undefined ? {} : { issuer: this.config.issuer }),
        ...(this.config.audience === undefined ? {} : { audience: this.config.audience }),
      };
      ({ payload } = await jwtVerify(token, this.key, options));
    } catch (error) {
      throw rejection(error, this.config.keySource.kind === 'jwks');
    }
    this.requireBoundedLifetime(payload);
    const subject = payload.sub ?? (typeof payload['client_id'] === 'string' ? payload['client_id'] : undefined);
    if (subject === undefined || subject === '') {
      throw new AuthenticationError('the bearer token names no subject (sub or client_id claim)', true);
    }
    return { id: `jwt:${subject}`, scopes: scopesOf(payload) };
  }

  /**
   * Refuses a token that expires further ahead than the configured maximum lifetime: exp is
   * required, but an issuer (or a stolen signing key) could set it years ahead. Measured
   * from now rather than from `iat`, which not every issuer sets.
   */
  private requireBoundedLifetime(payload: JWTPayload): void {
    const { maxLifetimeSeconds, clockToleranceSeconds } = this.config;
    const expiresAt = payload.exp ?? Number.POSITIVE_INFINITY;
    if (expiresAt - Date.now() / 1000 > maxLifetimeSeconds + clockToleranceSeconds) {
      throw new AuthenticationError(
        `the bearer token expires more than ${maxLifetimeSeconds} s from now: the longest lifetime accepted`,
        true,
      );
    }
  }
}
