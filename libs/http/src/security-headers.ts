import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import helmet from 'helmet';

type Middleware = (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) => void;

/** helmet's defaults, for a response that reached the browser over TLS. */
const overTls = helmet();

/**
 * The same without the three headers that only mean something over TLS. On plain HTTP to
 * any host but localhost, `upgrade-insecure-requests` makes the browser fetch Swagger UI's
 * scripts over https, from a port that speaks none (a blank /docs); browsers ignore
 * Cross-Origin-Opener-Policy on such an origin (with a console error), and RFC 6797 §7.2
 * forbids sending Strict-Transport-Security over plain HTTP.
 */
const overPlainHttp = helmet({
  contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
  crossOriginOpenerPolicy: false,
  strictTransportSecurity: false,
});

/** Express's `request.secure` as the socket sees it (Express's own property also trusts X-Forwarded-Proto when `trust proxy` is set). */
function arrivedOverTls(request: IncomingMessage & { secure?: boolean }): boolean {
  return request.secure ?? (request.socket as Partial<TLSSocket>).encrypted === true;
}

/**
 * helmet's security headers (CSP, X-Content-Type-Options, X-Frame-Options, no X-Powered-By, ...)
 * for either app, chosen per request: a request that arrived over TLS gets helmet's defaults,
 * a plain-HTTP one the same less the TLS-only headers.
 */
export function securityHeaders(): Middleware {
  return (request, response, next) => (arrivedOverTls(request) ? overTls : overPlainHttp)(request, response, next);
}
