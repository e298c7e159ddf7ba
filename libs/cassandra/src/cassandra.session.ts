import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit, Optional } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, type types } from 'cassandra-driver';
import { CASSANDRA_CONFIG } from './cassandra.module-definition';
import type { CassandraConfig } from './cassandra.config';
import { clientOptions, consistencyCode } from './client-options';
import { CASSANDRA_STATEMENT_OBSERVER, type CassandraStatementObserver } from './statement-observer';

/** A named CQL statement; repositories declare theirs as constants. */
export interface CqlStatement {
  /** Stable name for logs and metrics, e.g. `asset_timeseries.select_slice`. */
  readonly name: string;
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
}

/**
 * The one driver Client of a process: connected (with retries) when the module starts,
 * shut down with the application. Every statement runs prepared, at the configured
 * read or write consistency, with its idempotence declared.
 */
@Injectable()
export class CassandraSession implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(CassandraSession.name);
  readonly client: Client;
  /** Driver codes of the configured consistencies, looked up once rather than per statement. */
  private readonly consistency: Readonly<Record<CqlStatement['kind'], types.consistencies>>;

  constructor(
    @Inject(CASSANDRA_CONFIG) readonly config: CassandraConfig,
    @Optional() @Inject(CASSANDRA_STATEMENT_OBSERVER) private readonly observer?: CassandraStatementObserver,
  ) {
    this.client = new Client(clientOptions(config));
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
  }

  /** Times a statement for the observer (metrics), failures included. */
  private async observed<T>(statement: CqlStatement, run: () => Promise<T>): Promise<T> {
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
    return this.observed(statement, () =>
      this.client.execute(statement.cql, params as unknown[], {
        prepare: true,
        consistency: this.consistency[statement.kind],
        isIdempotent: statement.idempotent,
        ...options,
      }),
    );
  }

  /**
   * Runs one statement for many rows as an UNLOGGED batch. Callers pass rows of a single
   * partition only: Cassandra then applies the batch as one mutation, atomically; across
   * partitions a batch is slower than single statements and loses that property.
   */
  async batch(statement: CqlStatement, rows: readonly (readonly unknown[])[]): Promise<void> {
    if (statement.kind !== 'write') throw new Error(`${statement.name} is not a write`);
    await this.observed(statement, () =>
      this.client.batch(
        rows.map((params) => ({ query: statement.cql, params: params as unknown[] })),
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
        this.logger.log(`connected to Cassandra at ${where} (keyspace ${this.config.keyspace})`);
        return;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        if (/Keyspace '.*' does not exist/.test(reason)) {
          throw new Error(`${reason} at ${where}: apply the schema first with \`npm run db:migrate\``, {
            cause: error,
          });
        }
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
      }
    }
  }
}
