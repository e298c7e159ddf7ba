import { type ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { HealthController, MetricsController } from '@market/observability';
import type { AuthenticatedRequest } from '@market/auth';

/** Controllers never rate limited: probes and scrapers poll them. Docs are served outside Nest's router. */
const UNTHROTTLED_CONTROLLERS: ReadonlySet<unknown> = new Set([HealthController, MetricsController]);

/**
 * True for the routes the rate limit leaves alone. Decided from the route the router
 * matched, never from the raw path: the router matches case-insensitively and accepts
 * trailing slashes and encoded characters, so any test of the path text can be dodged.
 */
export function isUnthrottledRoute(context: ExecutionContext): boolean {
  return UNTHROTTLED_CONTROLLERS.has(context.getClass());
}

/**
 * Rate limits per caller: the authenticated principal where there is one (many clients
 * may share a proxy's address), the client address otherwise. One budget per caller for
 * every route (the library's default key is per route, which multiplies the budget).
 */
@Injectable()
export class PrincipalThrottlerGuard extends ThrottlerGuard {
  protected override getTracker(request: Record<string, unknown> & AuthenticatedRequest): Promise<string> {
    const { principal } = request;
    return principal === undefined ? super.getTracker(request) : Promise.resolve(principal.id);
  }

  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    return `${throttlerName}:${tracker}`;
  }
}
