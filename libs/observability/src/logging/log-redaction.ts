/** What a redacted value reads as in a log line. */
export const REDACTED = '[Redacted]';

/**
 * Query parameters whose values never reach a log: a page token is a bearer cursor into
 * the data, and credentials are secrets wherever a client puts them. Compared once decoded
 * and lower-cased, `-` and `_` alike.
 */
const SECRET_QUERY_PARAMETERS = new Set([
  'page_token',
  'api_key',
  'apikey',
  'x_api_key',
  'key',
  'access_token',
  'id_token',
  'refresh_token',
  'token',
  'jwt',
  'bearer',
  'authorization',
  'password',
  'secret',
]);

/**
 * Credentials recognised by their value, whatever the name they travel under (a query
 * parameter, a header, the path, a message): the API's keys (`mwk_` and 43 base64url
 * characters, apps/api/src/auth/api-keys.ts; also with the underscore percent-encoded) and
 * anything shaped like a JWT (a base64url JSON header, `eyJ`, then two more segments).
 */
const SECRET_VALUES = /mwk(?:_|%5[Ff])[A-Za-z0-9_-]{8,}|eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;

/** The text with every credential-shaped value replaced by `[Redacted]`. */
export function redactSecretValues(text: string): string {
  return text.replace(SECRET_VALUES, REDACTED);
}

/** Request headers censored in every log line (Node's lower-cased names). */
export const REDACTED_REQUEST_HEADERS: readonly string[] = [
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'cookie',
];

/** Response headers censored in every log line. */
export const REDACTED_RESPONSE_HEADERS: readonly string[] = ['set-cookie'];

/**
 * A copy of a headers object with the values of the named headers, where present, replaced
 * by `[Redacted]`; the object itself (the request's own headers) is never modified. Done in
 * the serializers rather than with pino's `redact` paths, which clone the whole serialized
 * request for every child logger and every line (issue #25: 3-4% of a small request's CPU).
 */
export function redactHeaders(headers: unknown, names: readonly string[]): unknown {
  if (typeof headers !== 'object' || headers === null) return headers;
  const present = names.filter((name) => Object.hasOwn(headers, name));
  if (present.length === 0) return headers;
  const copy: Record<string, unknown> = { ...headers };
  for (const name of present) copy[name] = REDACTED;
  return copy;
}

/** The name a query key stands for once decoded, as Express reads it (`page%5Ftoken[]` → `page_token`). */
function parameterName(rawKey: string): string {
  let key = rawKey.replace(/\+/g, ' ');
  try {
    key = decodeURIComponent(key);
  } catch {
    // A malformed escape: compare the raw text.
  }
  return key.replace(/\[.*$/, '').trim().toLowerCase().replaceAll('-', '_');
}

function isSecretParameter(rawKey: string): boolean {
  return SECRET_QUERY_PARAMETERS.has(parameterName(rawKey));
}

/** The URL with the value of every secret query parameter, and every credential-shaped value, replaced by `[Redacted]`. */
export function redactUrl(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart === -1) return redactSecretValues(url);
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
  return redactSecretValues(`${url.slice(0, queryStart + 1)}${query}${url.slice(end)}`);
}

/** A copy of a parsed query object with the values of secret parameters replaced (values by shape: see redactSecretValues). */
export function redactQuery(query: unknown): unknown {
  if (typeof query !== 'object' || query === null) return query;
  return Object.fromEntries(
    Object.entries(query).map(([key, value]) => [key, isSecretParameter(key) ? REDACTED : (value as unknown)]),
  );
}
