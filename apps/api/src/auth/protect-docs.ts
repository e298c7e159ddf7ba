import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { sendProblem } from '@market/http';
import type { ProblemDetailsFilter } from '../errors/problem-details.filter';
import { type AuthConfig, AuthenticationError, type Authenticator } from '@market/auth';
import { AuthFailureLimiter } from './auth-failure-limiter';

export const DOCS_PATHS = ['/docs', '/docs-json', '/docs-yaml'];

/**
 * Swagger UI and the OpenAPI document are served outside Nest's router, so its guards do
 * not see them: when AUTH_OPEN_ENDPOINTS leaves docs out, this asks any valid caller.
 */
export function protectDocs(
  app: INestApplication,
  config: AuthConfig,
  authenticator: Authenticator,
  filter: ProblemDetailsFilter,
): void {
  if (!config.enabled || config.openEndpoints.has('docs')) return;
  const failures = app.get(AuthFailureLimiter);
  const check = async (request: Request, response: Response, next: NextFunction): Promise<void> => {
    try {
      const principal = await authenticator.authenticate(request.headers);
      if (principal === null) throw new AuthenticationError('credentials are required to read the API documentation');
    } catch (error) {
      const answer = error instanceof AuthenticationError ? await failures.failed(request, error) : error;
      sendProblem(response, filter.toProblem(answer));
      return;
    }
    next();
  };
  app.use(DOCS_PATHS, (request: Request, response: Response, next: NextFunction) => {
    void check(request, response, next);
  });
}
