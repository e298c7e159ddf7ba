import { ExpressAdapter } from '@nestjs/platform-express';

type NotFoundArguments = Parameters<ExpressAdapter['setNotFoundHandler']>;

/**
 * Nest's Express adapter, except that a path no route matches answers through Nest's
 * exception layer (so as problem+json) wherever it lies. With a global prefix, Nest mounts
 * its 404 handler under the prefix and on the excluded paths only: any other path
 * (`/nothing`, `//api/v1/assets`, `/docs/x`) fell through to Express's HTML "Cannot GET".
 */
export class ProblemExpressAdapter extends ExpressAdapter {
  override setNotFoundHandler(...[handler, prefix, excludedRoutes]: NotFoundArguments): unknown {
    const mounted: unknown = super.setNotFoundHandler(handler, prefix, excludedRoutes);
    if (prefix === undefined || prefix === '') return mounted;
    // Mounted after the prefix's own handler: requests under the prefix never get this far.
    return super.setNotFoundHandler(handler, '', excludedRoutes);
  }
}
