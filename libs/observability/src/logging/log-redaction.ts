/** What a redacted value reads as in a log line. */
export const REDACTED = '[Redacted]';

/**
 * Query parameters whose values never reach a log: a page token is a bearer cursor into
 * the data, and API keys are secrets wherever a client puts them.
 */
const SECRET_QUERY_PARAMETERS = new Set(['page_token', 'api_key', 'apikey', 'access_token', 'token']);

/** Request and response headers censored in every log line (pino `redact` paths). */
export const REDACTED_HEADER_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers["proxy-authorization"]',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

/** The name a query key stands for once decoded, as Express reads it (`page%5Ftoken[]` → `page_token`). */
function parameterName(rawKey: string): string {
  let key = rawKey.replace(/\+/g, ' ');
  try {
    key = decodeURIComponent(key);
  } catch {
    // A malformed escape: compare the raw text.
  }
  return key.replace(/\[.*$/, '').trim().toLowerCase();
}

function isSecretParameter(rawKey: string): boolean {
  return SECRET_QUERY_PARAMETERS.has(parameterName(rawKey));
}

/** The URL with the value of every secret query parameter replaced by `[Redacted]`. */
export function redactUrl(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart === -1) return url;
  const fragmentStart = url.indexOf('#', queryStart);
  const end = fragmentStart === -1 ? url.length : fragmentStart;
  const query = url
    .slice(queryStart + 1, end)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const key = equals === -1 ? pair : pair.slice(0, equals);
      return equals !== -1 && isSecretParameter(key) ? `${key}=${REDACTED}` : pair;
    })
    .join('&');
  return `${url.slice(0, queryStart + 1)}${query}${url.slice(end)}`;
}

/** A copy of a parsed query object with the values of secret parameters replaced. */
export function redactQuery(query: unknown): unknown {
  if (typeof query !== 'object' || query === null) return query;
  return Object.fromEntries(
    Object.entries(query).map(([key, value]) => [key, isSecretParameter(key) ? REDACTED : (value as unknown)]),
  );
}
