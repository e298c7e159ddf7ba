import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { AuthenticatedRequest } from '@market/auth';

/**
 * Rate limits per caller: the authenticated principal where there is one (many clients
 * may share a proxy's address), the client address otherwise.
 */
@Injectable()
export class PrincipalThrottlerGuard extends ThrottlerGuard {
  protected override getTracker(request: Record<string, unknown> & AuthenticatedRequest): Promise<string> {
    const { principal } = request;
    return principal === undefined ? super.getTracker(request) : Promise.resolve(principal.id);
  }
}
