import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { ThrottlerException } from '@nestjs/throttler';
import { InvalidPageTokenError, StorageUnavailableError } from '@market/cassandra';
import {
  AuthenticationError,
  KeySetUnavailableError,
  MissingScopeError,
  TooManyAuthFailuresError,
} from '../auth/auth-errors';
import { InvalidQueryError, RangeTooLargeError, RequestTimedOutError, ResourceNotFoundError } from './api-errors';
import type { ProblemDto } from './problem.dto';

export interface Problem extends ProblemDto {
  /** Response headers that belong to the problem: Retry-After, WWW-Authenticate. */
  headers?: Record<string, string>;
}

/** RFC 6750 challenge: how to authenticate, and why the credentials sent were refused. */
const REALM = 'Bearer realm="market-warehouse"';

const TITLES: Record<number, string> = {
  400: 'Invalid request',
  404: 'Not found',
  405: 'Method not allowed',
  413: 'Payload too large',
  414: 'URI too long',
  429: 'Too many requests',
};

const SLUGS: Record<number, string> = {
  400: 'invalid-request',
  404: 'not-found',
  405: 'method-not-allowed',
  414: 'uri-too-long',
  429: 'too-many-requests',
};

function problem(status: number, slug: string, title: string, detail: string): Problem {
  return { type: `/problems/${slug}`, title, status, detail };
}

/** A failed @nestjs/terminus health check: a 503 whose body lists every check. */
function isHealthCheckResult(exception: unknown): exception is HttpException {
  if (!(exception instanceof HttpException) || exception.getStatus() !== 503) return false;
  const body = exception.getResponse();
  return typeof body === 'object' && 'status' in body && 'details' in body;
}

/** The message(s) of a Nest HttpException, e.g. ValidationPipe's list of failures. */
function httpExceptionMessages(exception: HttpException): string[] {
  const body = exception.getResponse();
  if (typeof body === 'string') return [body];
  const message = (body as { message?: unknown }).message;
  if (Array.isArray(message)) return message.map(String);
  return [typeof message === 'string' ? message : exception.message];
}

/** Writes a problem as the response: its headers, status and application/problem+json body. */
export function sendProblem(response: Response, { headers, ...body }: Problem): void {
  for (const [name, value] of Object.entries(headers ?? {})) response.setHeader(name, value);
  response.status(body.status).type('application/problem+json').send(JSON.stringify(body));
}

/**
 * Maps every error to RFC 9457 problem details. Clients never see a stack trace or a
 * driver message: unexpected errors are logged here and answered with a generic 500.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemDetailsFilter.name);

  constructor(private readonly retryAfterSeconds: number) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (isHealthCheckResult(exception)) {
      // Health probes keep terminus' own body (which check failed): orchestrators and dashboards read it.
      response.status(exception.getStatus()).json(exception.getResponse());
      return;
    }
    sendProblem(response, this.toProblem(exception));
  }

  toProblem(exception: unknown): Problem {
    if (exception instanceof AuthenticationError) {
      const challenge = exception.invalidToken ? `${REALM}, error="invalid_token"` : REALM;
      return {
        ...problem(HttpStatus.UNAUTHORIZED, 'unauthorized', 'Unauthorized', exception.message),
        headers: { 'WWW-Authenticate': challenge },
      };
    }
    if (exception instanceof MissingScopeError) {
      return {
        ...problem(HttpStatus.FORBIDDEN, 'forbidden', 'Forbidden', exception.message),
        headers: { 'WWW-Authenticate': `${REALM}, error="insufficient_scope", scope="${exception.missing.join(' ')}"` },
      };
    }
    if (exception instanceof TooManyAuthFailuresError) {
      return {
        ...problem(HttpStatus.TOO_MANY_REQUESTS, 'too-many-requests', 'Too many requests', exception.message),
        headers: { 'Retry-After': String(exception.retryAfterSeconds) },
      };
    }
    if (exception instanceof ThrottlerException) {
      // Its message is the class name ("ThrottlerException: Too Many Requests"); the guard set Retry-After.
      return problem(
        HttpStatus.TOO_MANY_REQUESTS,
        'too-many-requests',
        'Too many requests',
        'the rate limit of this caller is spent: retry after the number of seconds in Retry-After',
      );
    }
    if (exception instanceof ResourceNotFoundError) {
      return problem(HttpStatus.NOT_FOUND, 'not-found', 'Not found', exception.message);
    }
    if (exception instanceof InvalidQueryError) {
      return problem(HttpStatus.BAD_REQUEST, 'invalid-query', 'Invalid query', exception.message);
    }
    if (exception instanceof RangeTooLargeError) {
      return problem(HttpStatus.BAD_REQUEST, 'range-too-large', 'Range too large', exception.message);
    }
    if (exception instanceof InvalidPageTokenError) {
      return problem(HttpStatus.BAD_REQUEST, 'invalid-page-token', 'Invalid page token', exception.message);
    }
    if (
      exception instanceof RequestTimedOutError ||
      exception instanceof KeySetUnavailableError ||
      exception instanceof StorageUnavailableError
    ) {
      const detail =
        exception instanceof RequestTimedOutError
          ? `${exception.message}; the database is slow or partly down`
          : exception instanceof KeySetUnavailableError
            ? exception.message
            : 'the database cannot serve this request right now (not enough replicas answered in time)';
      this.logger.warn(`503: ${exception instanceof Error ? exception.message : String(exception)}`);
      return {
        ...problem(HttpStatus.SERVICE_UNAVAILABLE, 'service-unavailable', 'Service unavailable', detail),
        headers: { 'Retry-After': String(this.retryAfterSeconds) },
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const messages = httpExceptionMessages(exception);
      const title = TITLES[status] ?? 'Error';
      const slug = SLUGS[status] ?? `http-${status}`;
      return { ...problem(status, slug, title, messages.join('; ')), ...(status === 400 ? { errors: messages } : {}) };
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    return problem(
      HttpStatus.INTERNAL_SERVER_ERROR,
      'internal-error',
      'Internal error',
      'an unexpected error occurred',
    );
  }
}
