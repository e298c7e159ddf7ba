import { Catch, HttpStatus } from '@nestjs/common';
import { errors as driverErrors, types } from 'cassandra-driver';
import { InvalidPageTokenError } from '@market/cassandra';
import { ProblemDetailsFilter as HttpProblemDetailsFilter, type Problem, problem } from '@market/http';
import { KeySetUnavailableError } from '@market/auth';
import { InvalidQueryError, RangeTooLargeError, RequestTimedOutError, ResourceNotFoundError } from './api-errors';

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

/**
 * Maps the read API's errors to RFC 9457 problem details; the rest (Nest's HTTP exceptions,
 * failed authentication, and unexpected errors as a generic 500) as both apps do. Clients
 * never see a stack trace or a driver message.
 */
@Catch()
export class ProblemDetailsFilter extends HttpProblemDetailsFilter {
  constructor(private readonly retryAfterSeconds: number) {
    super();
  }

  override toProblem(exception: unknown): Problem {
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
      isCassandraUnavailable(exception)
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
    return super.toProblem(exception);
  }
}
