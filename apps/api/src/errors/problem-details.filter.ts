import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { errors as driverErrors, types } from 'cassandra-driver';
import { InvalidPageTokenError } from '@market/cassandra';
import { InvalidQueryError, RangeTooLargeError, RequestTimedOutError, ResourceNotFoundError } from './api-errors';
import type { ProblemDto } from './problem.dto';

interface Problem extends ProblemDto {
  /** Seconds, for 503: when trying again makes sense. */
  retryAfterSeconds?: number;
}

const UNAVAILABLE_CODES = new Set<number>([
  types.responseErrorCodes.unavailableException,
  types.responseErrorCodes.overloaded,
  types.responseErrorCodes.isBootstrapping,
  types.responseErrorCodes.readTimeout,
  types.responseErrorCodes.writeTimeout,
  types.responseErrorCodes.readFailure,
  types.responseErrorCodes.writeFailure,
]);

/** Cassandra could not serve the request now: no host, not enough replicas, or a timeout. */
function isCassandraUnavailable(error: unknown): boolean {
  return (
    error instanceof driverErrors.NoHostAvailableError ||
    error instanceof driverErrors.OperationTimedOutError ||
    error instanceof driverErrors.BusyConnectionError ||
    (error instanceof driverErrors.ResponseError && UNAVAILABLE_CODES.has(error.code))
  );
}

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
    const body = this.toProblem(exception);
    const { retryAfterSeconds, ...problemBody } = body;
    if (retryAfterSeconds !== undefined) response.setHeader('Retry-After', String(retryAfterSeconds));
    response.status(body.status).type('application/problem+json').send(JSON.stringify(problemBody));
  }

  toProblem(exception: unknown): Problem {
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
    if (exception instanceof RequestTimedOutError || isCassandraUnavailable(exception)) {
      const detail =
        exception instanceof RequestTimedOutError
          ? `${exception.message}; the database is slow or partly down`
          : 'the database cannot serve this request right now (not enough replicas answered in time)';
      this.logger.warn(`503: ${exception instanceof Error ? exception.message : String(exception)}`);
      return {
        ...problem(HttpStatus.SERVICE_UNAVAILABLE, 'service-unavailable', 'Service unavailable', detail),
        retryAfterSeconds: this.retryAfterSeconds,
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
