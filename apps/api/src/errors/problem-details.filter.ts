import { Catch, HttpStatus } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { InvalidPageTokenError, StorageUnavailableError, describeStorageError } from '@market/cassandra';
import { ProblemDetailsFilter as HttpProblemDetailsFilter, type Problem, problem } from '@market/http';
import { KeySetUnavailableError, TooManyAuthFailuresError } from '@market/auth';
import {
  InvalidQueryError,
  RangeTooLargeError,
  RequestTimedOutError,
  ResourceNotFoundError,
  UnknownSymbolsError,
} from './api-errors';
import { ExportRowCapError } from '@market/export';
import { NotAcceptableError } from '../exports/export-format';

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
    if (exception instanceof ResourceNotFoundError || exception instanceof UnknownSymbolsError) {
      return problem(HttpStatus.NOT_FOUND, 'not-found', 'Not found', exception.message);
    }
    if (exception instanceof InvalidQueryError) {
      return problem(HttpStatus.BAD_REQUEST, 'invalid-query', 'Invalid query', exception.message);
    }
    if (exception instanceof RangeTooLargeError) {
      return problem(HttpStatus.BAD_REQUEST, 'range-too-large', 'Range too large', exception.message);
    }
    if (exception instanceof NotAcceptableError) {
      return problem(HttpStatus.NOT_ACCEPTABLE, 'not-acceptable', 'Not acceptable', exception.message);
    }
    if (exception instanceof ExportRowCapError) {
      return problem(HttpStatus.BAD_REQUEST, 'export-too-large', 'Export too large', exception.message);
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
      // The driver error underneath (class, code, coordinator): the message alone does not say which node failed.
      this.logger.warn(
        `503: ${exception instanceof StorageUnavailableError ? describeStorageError(exception) : exception instanceof Error ? exception.message : String(exception)}`,
      );
      return {
        ...problem(HttpStatus.SERVICE_UNAVAILABLE, 'service-unavailable', 'Service unavailable', detail),
        headers: { 'Retry-After': String(this.retryAfterSeconds) },
      };
    }
    return super.toProblem(exception);
  }
}
