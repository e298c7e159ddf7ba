import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request: a parameter is malformed or out of range (or does not decode as UTF-8), or the page token is invalid (problem+json)',
  401: 'Missing or invalid credentials: send a bearer JWT or an X-API-Key (problem+json)',
  403: 'The credentials lack the scope this operation needs (problem+json)',
  404: 'Unknown id (problem+json)',
  414: 'The URL is longer than MAX_URL_LENGTH (problem+json)',
  429: 'Too many requests from this client; retry after the Retry-After header (problem+json)',
  503: 'The database cannot serve the request right now; retry after the Retry-After header (problem+json)',
};

const RETRY_AFTER = {
  'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } },
};
const CHALLENGE = {
  'WWW-Authenticate': { description: 'RFC 6750 bearer challenge', schema: { type: 'string' } },
};
const HEADERS: Record<number, Record<string, { description: string; schema: { type: string } }> | undefined> = {
  401: CHALLENGE,
  403: CHALLENGE,
  429: RETRY_AFTER,
  503: RETRY_AFTER,
};

/** Documents the problem+json error responses of an operation. */
export function ApiProblemResponses(...statuses: Array<400 | 401 | 403 | 404 | 414 | 429 | 503>) {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status],
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDto' } } },
        ...(HEADERS[status] === undefined ? {} : { headers: HEADERS[status] }),
      }),
    ),
  );
}
