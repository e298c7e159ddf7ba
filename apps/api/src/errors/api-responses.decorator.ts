import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request: a parameter is malformed or out of range, or the page token is invalid (problem+json)',
  404: 'Unknown id (problem+json)',
  414: 'The URL is longer than MAX_URL_LENGTH (problem+json)',
  429: 'Too many requests from this client; retry after the Retry-After header (problem+json)',
  503: 'The database cannot serve the request right now; retry after the Retry-After header (problem+json)',
};

/** Documents the problem+json error responses of an operation. */
export function ApiProblemResponses(...statuses: Array<400 | 404 | 414 | 429 | 503>) {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status],
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDto' } } },
        ...(status === 503 || status === 429
          ? {
              headers: {
                'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } },
              },
            }
          : {}),
      }),
    ),
  );
}
