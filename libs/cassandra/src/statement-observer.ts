/**
 * The contract between CassandraSession and whoever watches it (the apps' metrics). The
 * session injects it `@Optional()`, so the library works without an observer and never
 * imports one: ObservabilityModule provides CASSANDRA_STATEMENT_OBSERVER globally.
 */

/** Whether a statement reads or writes, as in `CqlStatement.kind`. */
export type StatementKind = 'read' | 'write';

/** How many Cassandra nodes the driver knows and how many of them it considers up. */
export interface CassandraHostCounts {
  readonly up: number;
  readonly known: number;
}

/** Told about every statement the session runs; implementations must be cheap and never throw. */
export interface CassandraStatementObserver {
  /** One call per `execute` or `batch`, failed or not, with its wall time in seconds. */
  observe(statementName: string, kind: StatementKind, seconds: number): void;
  /** One call per failed `execute` or `batch`, with the error's `name` (e.g. `NoHostAvailableError`). */
  error(statementName: string, kind: StatementKind, errorClass: string): void;
  /** Called once the client has connected, with a function the observer calls whenever it wants the counts. */
  watchHosts(hostCounts: () => CassandraHostCounts): void;
  /**
   * Called once the client has connected, with a function that asks every node up for its
   * schema version and resolves to the number of distinct versions (1 when they agree).
   */
  watchSchemaVersions?(distinctSchemaVersions: () => Promise<number>): void;
}

/** Injection token of the optional CassandraStatementObserver. */
export const CASSANDRA_STATEMENT_OBSERVER = Symbol('CASSANDRA_STATEMENT_OBSERVER');
