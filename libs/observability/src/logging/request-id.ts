import { randomUUID } from 'node:crypto';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/**
 * A caller's id is kept only when it is short and plain: it is copied into every log line of
 * the request and echoed in a header, so it must not carry newlines, quotes or a novel.
 */
const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._:+/=-]{1,128}$/;

/** The caller's `X-Request-Id` when it is acceptable, a fresh UUID otherwise. */
export function requestIdFrom(header: string | readonly string[] | undefined): string {
  const candidate = typeof header === 'string' ? header.trim() : undefined;
  return candidate !== undefined && ACCEPTABLE_REQUEST_ID.test(candidate) ? candidate : randomUUID();
}
