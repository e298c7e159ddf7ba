import { type CanActivate, type ExecutionContext, Inject, Injectable, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { HealthController, MetricsController } from '@market/observability';
import type { AuthConfig } from './auth.config';
import { AuthenticationError, MissingScopeError } from './auth-errors';
import { Authenticator } from './authenticator';
import { AUTH_FAILURE_POLICY, type AuthFailurePolicy } from './auth-failure-policy';
import type { AuthenticatedRequest, Principal } from './principal';
import { AUTH_CONFIG } from './auth.module-definition';
import { SCOPES, type Scope } from './scopes';

/** The metadata key under which a route names the scopes it needs (the API's @RequireScopes sets it). */
export const REQUIRED_SCOPES = 'market:required-scopes';
/** The metadata key of a route open to anyone, auth on or off (the API's @OpenRoute sets it). */
export const OPEN_ROUTE = 'market:open-route';

/** Open, or the scopes a caller must hold (an empty list: any authenticated caller). */
type Requirement = { readonly open: true } | { readonly open: false; readonly scopes: readonly Scope[] };

/**
 * Runs before every route (and before the rate limiter, which then counts per caller).
 * A failed authentication is answered as the app's AuthFailurePolicy says (the API limits
 * them per address on their own budget), or with the 401 where the app has none.
 * Deny by default: a route without @RequireScopes still needs a valid caller, unless it
 * is a health or metrics endpoint left open by AUTH_OPEN_ENDPOINTS.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
    private readonly authenticator: Authenticator,
    private readonly reflector: Reflector,
    @Optional() @Inject(AUTH_FAILURE_POLICY) private readonly failures?: AuthFailurePolicy,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!this.config.enabled || context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request & AuthenticatedRequest>();
    const requirement = this.requirementFor(context);
    if (requirement.open) return true;
    const principal = await this.authenticate(request);
    const missing = requirement.scopes.filter((scope) => !principal.scopes.has(scope));
    if (missing.length > 0) throw new MissingScopeError(missing);
    request.principal = principal;
    return true;
  }

  /** The caller; a failure goes through the app's failure policy, when it has one. */
  private async authenticate(request: Request): Promise<Principal> {
    try {
      const principal = await this.authenticator.authenticate(request.headers);
      if (principal === null) {
        throw new AuthenticationError('credentials are required: send "Authorization: Bearer <JWT>" or "X-API-Key"');
      }
      return principal;
    } catch (error) {
      if (error instanceof AuthenticationError && this.failures !== undefined)
        throw await this.failures.failed(request, error);
      throw error;
    }
  }

  private requirementFor(context: ExecutionContext): Requirement {
    if (this.reflector.getAllAndOverride<boolean | undefined>(OPEN_ROUTE, [context.getHandler(), context.getClass()])) {
      return { open: true };
    }
    const scopes = this.reflector.getAllAndOverride<Scope[] | undefined>(REQUIRED_SCOPES, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (scopes !== undefined) return { open: false, scopes };
    const { openEndpoints } = this.config;
    if (context.getClass() === HealthController) {
      return openEndpoints.has('health') ? { open: true } : { open: false, scopes: [] };
    }
    if (context.getClass() === MetricsController) {
      return openEndpoints.has('metrics') ? { open: true } : { open: false, scopes: [SCOPES.readMetrics] };
    }
    return { open: false, scopes: [] };
  }
}
