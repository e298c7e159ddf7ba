import { errors as driverErrors, types } from 'cassandra-driver';

/**
 * The library's typed errors: apps catch these, never the driver's classes, so no app
 * imports `cassandra-driver`. Each keeps the driver's error as `cause` (and its message,
 * for logs); callers show users their own words.
 */

/** Cassandra cannot serve the statement now: no host, too few replicas, overloaded, or a timeout. */
export class StorageUnavailableError extends Error {
  override readonly name = 'StorageUnavailableError';
}

/**
 * Cassandra refused a paging state (it does not fit the statement, e.g. after an upgrade or
 * a protocol change). The range reader resumes by ts instead; elsewhere it is a failure.
 */
export class RefusedPagingStateError extends Error {
  override readonly name = 'RefusedPagingStateError';
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

/** What Cassandra answers when a paging state does not fit the statement it is sent with. */
const REFUSED_PAGING_STATE_CODES = new Set<number>([
  types.responseErrorCodes.invalid,
  types.responseErrorCodes.protocolError,
]);

/**
 * The typed error for a driver error, or the error itself when it is none of ours (a
 * syntax error, a bug: those stay what they are). `withPageState` says whether the
 * statement was sent with a paging state, the only case an "invalid" answer means refusal.
 */
export function storageErrorOf(error: unknown, withPageState: boolean): unknown {
  const unavailable =
    error instanceof driverErrors.NoHostAvailableError ||
    error instanceof driverErrors.OperationTimedOutError ||
    error instanceof driverErrors.BusyConnectionError ||
    (error instanceof driverErrors.ResponseError && UNAVAILABLE_CODES.has(error.code));
  if (unavailable) return new StorageUnavailableError(error.message, { cause: error });
  if (withPageState && error instanceof driverErrors.ResponseError && REFUSED_PAGING_STATE_CODES.has(error.code)) {
    return new RefusedPagingStateError(error.message, { cause: error });
  }
  return error;
}
