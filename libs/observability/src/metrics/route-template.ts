/** The route label of a request that matched no route (a 404 from the router, a probe for `/wp-admin`). */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * A route that is nothing but a wildcard (`*path`, `/{*splat}`). Nest answers unknown paths
 * under the global prefix with such a catch-all (`<prefix>` + `*path`); our controllers
 * declare none, so a request that ends there matched no route.
 */
const CATCH_ALL = /^\/?\{?\*[A-Za-z0-9_]*\}?$/;

/** What an Express request carries once its router has matched it. */
export interface RoutedRequest {
  readonly baseUrl?: string;
  readonly route?: unknown;
}

/**
 * The template of the route Express matched, `/api/v1/data/:asset_id`, never the raw path:
 * a metric label then has one value per route, not one per asset id a client sends.
 */
export function routeTemplate(request: RoutedRequest): string {
  const { route } = request;
  if (typeof route !== 'object' || route === null || !('path' in route) || typeof route.path !== 'string') {
    return UNMATCHED_ROUTE;
  }
  if (CATCH_ALL.test(route.path)) return UNMATCHED_ROUTE;
  return `${request.baseUrl ?? ''}${route.path}` || '/';
}
