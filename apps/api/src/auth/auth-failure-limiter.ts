import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ThrottlerStorage } from '@nestjs/throttler';
import type { Request } from 'express';
import { apiConfig } from '../config/api.config';
import { type AuthFailurePolicy, type AuthenticationError, TooManyAuthFailuresError } from '@market/auth';

const WINDOW_MS = 60_000;

/**
 * The budget of failed authentications (no credentials, or credentials that do not check
 * out) per client address and minute, kept in the rate limiter's storage. Only failures
 * count: a valid caller from the same address is served within its own budget, so one
 * client guessing behind a shared proxy does not lock the others out. Guessing gains
 * nothing from that: an API key holds 256 random bits and a JWT needs the signing key.
 */
@Injectable()
export class AuthFailureLimiter implements AuthFailurePolicy {
  private readonly limit: number;

  constructor(
    @Inject(ThrottlerStorage) private readonly storage: ThrottlerStorage,
    @Inject(apiConfig.KEY) config: ConfigType<typeof apiConfig>,
  ) {
    this.limit = config.authFailuresPerMinute;
  }

  /** Counts a failed authentication; the error to answer with: the 401, or a 429 once the address's budget is spent. */
  async failed(request: Request, error: AuthenticationError): Promise<Error> {
    if (this.limit === 0) return error;
    const address = request.ip ?? request.socket.remoteAddress ?? 'unknown';
    const { isBlocked, timeToBlockExpire } = await this.storage.increment(
      `auth-failure:${address}`,
      WINDOW_MS,
      this.limit,
      WINDOW_MS,
      'auth-failure',
    );
    return isBlocked ? new TooManyAuthFailuresError(Math.max(timeToBlockExpire, 1)) : error;
  }
}
