import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit, Optional } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, types } from 'cassandra-driver';
import { CASSANDRA_CONFIG } from './cassandra.module-definition';
import type { CassandraConfig } from './cassandra.config';
import { clientOptions, consistencyCode } from './client-options';
import { renderStatement } from './migrations/migration-files';
import { groupSchemaVersions, readSchemaVersions } from './migrations/schema-agreement';
import { CASSANDRA_STATEMENT_OBSERVER, type CassandraStatementObserver } from './statement-observer';
import { storageErrorOf } from './storage-errors';

/** A named CQL statement; repositories declare theirs as constants. */
export interface CqlStatement {
  /** Stable name for logs and metrics, e.g. `asset_timeseries.select_slice`. */
  readonly name: string;
  /** Tables written `{{keyspace}}.table`, as in the migration files; the session fills the keyspace in. */
  readonly cql: string;
  readonly kind: 'read' | 'write';
  /** True when running it twice has the effect of running it once (never for an LWT). */
  readonly idempotent: boolean;
}

export interface ExecuteOptions {
  readonly fetchSize?: number;
  readonly pageState?: string;
  /** Write timestamp in microseconds since the epoch (USING TIMESTAMP, set by the driver). */
  readonly timestamp?: number | types.Long;
  /** How long the client waits for this request's answer before it gives up on that node (ms). */
  readonly readTimeout?: number;
}

/**
 * The one driver Client of a process: connected (with retries) when the module starts,
 * shut down with the application. Every statement runs prepared, at the configured
 * read or write consistency, with its idempotence declared.
 *
 * Statements name their keyspace (`{{keyspace}}.table`, filled in from the config) and
 * the Client is opened without one. For a prepared batch the driver looks every row's
 * statement up in its cache under "client keyspace + CQL": a fresh 200-character string,
 * joined and hashed per row (0.3 µs, measured). With no client keyspace the key is the CQL
 * string itself, which is hashed once.
 */
@Injectable()
export class CassandraSession implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(CassandraSession.name);
  readonly client: Client;
  /** Driver codes of the configured consistencies, looked up once rather than per statement. */
  private readonly consistency: Readonly<Record<CqlStatement['kind'], types.consistencies>>;
  private readonly renderedCql = new Map<CqlStatement, string>();

  constructor(
    @Inject(CASSANDRA_CONFIG) readonly config: CassandraConfig,
    @Optional() @Inject(CASSANDRA_STATEMENT_OBSERVER) private readonly observer?: CassandraStatementObserver,
  ) {
    this.client = new Client(clientOptions(config, false));
    this.consistency = {
      read: consistencyCode(config.readConsistency),
      write: consistencyCode(config.writeConsistency),
    };
  }

  async onModuleInit(): Promise<void> {
    await this.connect();
    this.observer?.watchHosts(() => {
      const hosts = this.client.hosts.values();
      return { up: hosts.filter((host) => host.isUp()).length, known: hosts.length };
    });
    // A short bound: a scrape must answer even when a node is slow to.
    this.observer?.watchSchemaVersions?.(
      async () => groupSchemaVersions(await readSchemaVersions(this.client, 2000)).groups.length,
    );
  }

  /** The statement's CQL for the configured keyspace, rendered once per statement. */
  private cqlOf(statement: CqlStatement): string {
    let cql = this.renderedCql.get(statement);
    if (cql === undefined) {
      cql = renderStatement(statement.cql, this.config.keyspace);
      this.renderedCql.set(statement, cql);
    }
    return cql;
  }

  /**
   * Times a statement for the observer (metrics), failures included, under the driver's own
   * error class; callers then get the library's typed errors (storage-errors.ts).
   */
  private async observed<T>(statement: CqlStatement, run: () => Promise<T>, withPageState = false): Promise<T> {
    try {
      return await this.timed(statement, run);
    } catch (error) {
      throw storageErrorOf(error, withPageState);
    }
  }

  private async timed<T>(statement: CqlStatement, run: () => Promise<T>): Promise<T> {
    if (this.observer === undefined) return run();
    const started = performance.now();
    try {
      return await run();
    } catch (error) {
      this.observer.error(statement.name, statement.kind, error instanceof Error ? error.name : 'unknown');
      throw error;
    } finally {
      this.observer.observe(statement.name, statement.kind, (performance.now() - started) / 1000);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.shutdown();
  }

  execute(statement: CqlStatement, params: readonly unknown[], options: ExecuteOptions = {}): Promise<types.ResultSet> {
    return this.observed(
      statement,
      () =>
        this.client.execute(this.cqlOf(statement), params as unknown[], {
          prepare: true,
          consistency: this.consistency[statement.kind],
          isIdempotent: statement.idempotent,
          ...options,
        }),
      options.pageState !== undefined,
    );
  }

  /**
   * Runs one statement for many rows as an UNLOGGED batch. Callers pass rows of a single
   * partition only: Cassandra then applies the batch as one mutation, atomically; across
   * partitions a batch is slower than single statements and loses that property.
   */
  async batch(statement: CqlStatement, rows: readonly (readonly unknown[])[]): Promise<void> {
    if (statement.kind !== 'write') throw new Error(`${statement.name} is not a write`);
    const query = this.cqlOf(statement);
    await this.observed(statement, () =>
      this.client.batch(
        rows.map((params) => ({ query, params: params as unknown[] })),
        {
          prepare: true,
          logged: false,
          consistency: this.consistency.write,
          isIdempotent: statement.idempotent,
        },
      ),
    );
  }

  /** Connects, retrying with a capped exponential back-off while the cluster comes up. */
  private async connect(): Promise<void> {
    const where = this.config.contactPoints.map(({ host, port }) => `${host}:${port}`).join(', ');
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.client.connect();
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        if (attempt >= this.config.connectAttempts) {
          throw new Error(`cannot connect to Cassandra at ${where} after ${attempt} attempts: ${reason}`, {
            cause: error,
          });
        }
        const delayMs = Math.min(1000 * 2 ** (attempt - 1), 10_000);
        this.logger.warn(
          `Cassandra at ${where} not reachable (attempt ${attempt}): ${reason}; retrying in ${delayMs} ms`,
        );
        await sleep(delayMs);
        continue;
      }
      await this.requireKeyspace(where);
      this.logger.log(`connected to Cassandra at ${where} (keyspace ${this.config.keyspace})`);
      return;
    }
  }

  /** Fails start-up with one clear message when the schema was never applied. */
  private async requireKeyspace(where: string): Promise<void> {
    const { keyspace } = this.config;
    let exists = false;
    try {
      const found = await this.client.execute(
        'SELECT keyspace_name FROM system_schema.keyspaces WHERE keyspace_name = ?',
        [keyspace],
        // system_schema is local to every node: any consistency above ONE would fail on it.
        { prepare: true, isIdempotent: true, consistency: types.consistencies.one },
      );
      exists = found.rowLength > 0;
    } finally {
      // Start-up fails on either path below: leave no connections behind.
      if (!exists) await this.client.shutdown();
    }
    if (exists) return;
    throw new Error(
      `Keyspace '${keyspace}' does not exist at ${where}: apply the schema first with \`npm run db:migrate\``,
    );
  }
}
