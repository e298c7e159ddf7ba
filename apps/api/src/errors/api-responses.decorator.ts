import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import type { ProblemDto } from './problem.dto';

export type ProblemStatus = 400 | 401 | 403 | 404 | 406 | 414 | 429 | 503;

const DESCRIPTIONS: Record<ProblemStatus, string> = {
  400: 'Invalid request: a parameter is malformed or out of range (or does not decode as UTF-8), or the page token is invalid (problem+json)',
  401: 'Missing or invalid credentials: send a bearer JWT or an X-API-Key (problem+json)',
  403: 'The credentials lack the scope this operation needs (problem+json)',
  404: 'Unknown id (problem+json)',
  406: 'Neither format= nor Accept names a media type this route serves (problem+json)',
  414: 'The URL is longer than MAX_URL_LENGTH (problem+json)',
  429: 'Too many requests from this client; retry after the Retry-After header (problem+json)',
  503: 'The database cannot serve the request right now; retry after the Retry-After header (problem+json)',
};

/**
 * One example per status, each as this API answers it (ProblemDetailsFilter's type, title
 * and a detail it writes), so a reader sees what a 401 or a 503 looks like, not a 400 again.
 */
export const PROBLEM_EXAMPLES: Record<ProblemStatus, ProblemDto> = {
  400: {
    type: '/problems/invalid-request',
    title: 'Invalid request',
    status: 400,
    detail: 'limit must not be greater than 5000',
    errors: ['limit must not be greater than 5000'],
  },
  401: {
    type: '/problems/unauthorized',
    title: 'Unauthorized',
    status: 401,
    detail: 'credentials are required: send "Authorization: Bearer <JWT>" or "X-API-Key"',
  },
  403: {
    type: '/problems/forbidden',
    title: 'Forbidden',
    status: 403,
    detail: 'the credentials lack the scope read:data',
  },
  404: { type: '/problems/not-found', title: 'Not found', status: 404, detail: 'unknown asset "NOPE"' },
  406: {
    type: '/problems/not-acceptable',
    title: 'Not acceptable',
    status: 406,
    detail: 'Accept "image/png" names no type this route serves: application/json, text/csv, ...',
  },
  414: {
    type: '/problems/uri-too-long',
    title: 'URI too long',
    status: 414,
    detail: 'the URL is longer than 4096 characters',
  },
  429: {
    type: '/problems/too-many-requests',
    title: 'Too many requests',
    status: 429,
    detail: 'too many requests from this client: retry after the Retry-After header',
  },
  503: {
    type: '/problems/service-unavailable',
    title: 'Service unavailable',
    status: 503,
    detail: 'the database cannot serve this request right now (not enough replicas answered in time)',
  },
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
export function ApiProblemResponses(...statuses: ProblemStatus[]) {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status],
        content: {
          'application/problem+json': {
            schema: { $ref: '#/components/schemas/ProblemDto' },
            example: PROBLEM_EXAMPLES[status],
          },
        },
        ...(HEADERS[status] === undefined ? {} : { headers: HEADERS[status] }),
      }),
    ),
  );
}
