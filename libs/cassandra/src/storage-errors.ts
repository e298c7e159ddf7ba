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

const CODE_NAMES = new Map<number, string>(
  Object.entries(types.responseErrorCodes).map(([name, code]) => [code as number, name]),
);

/** One driver error in a line: class, Cassandra's error code, the node that answered, the message. */
function describeDriverError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const fields = error as Error & { code?: unknown; coordinator?: unknown; host?: unknown };
  const parts = [error.name];
  if (typeof fields.code === 'number') {
    parts.push(`code 0x${fields.code.toString(16)} (${CODE_NAMES.get(fields.code) ?? 'unknown'})`);
  }
  const host = typeof fields.coordinator === 'string' ? fields.coordinator : fields.host;
  if (typeof host === 'string') parts.push(`from ${host}`);
  return `${parts.join(' ')}: ${error.message}`;
}

/**
 * A storage failure for the log, with the driver error underneath it: its class, Cassandra's
 * error code, the coordinator that answered it, and for "no host available" what each host
 * tried said. The message alone ("Not enough replicas available…") does not say which node failed.
 */
export function describeStorageError(error: unknown): string {
  const cause = error instanceof StorageUnavailableError ? error.cause : error;
  const line = describeDriverError(cause);
  if (!(cause instanceof driverErrors.NoHostAvailableError)) return line;
  const tried = Object.entries(cause.innerErrors as Record<string, unknown>).map(
    ([host, inner]) => `${host}: ${describeDriverError(inner)}`,
  );
  return tried.length === 0 ? line : `${line} [${tried.join('; ')}]`;
}
