import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { CassandraHostCounts, CassandraStatementObserver, StatementKind } from '@market/cassandra';
import { MetricsRegistry } from './metrics.registry';

/** Seconds; Cassandra's own read timeout is 5 s and the client's just above it. */
const CASSANDRA_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** An error's class name as a label; anything else collapses to one value, so labels stay few. */
const ERROR_CLASS = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/**
 * Cassandra request latency and errors by statement name and kind, and the hosts the
 * driver sees. CassandraSession reports to it through CASSANDRA_STATEMENT_OBSERVER.
 */
@Injectable()
export class CassandraMetrics implements CassandraStatementObserver {
  private readonly duration: Histogram<'statement' | 'kind'>;
  private readonly errors: Counter<'statement' | 'kind' | 'error'>;
  private hostCounts: (() => CassandraHostCounts) | null = null;
  private distinctSchemaVersions: (() => Promise<number>) | null = null;

  constructor(registry: MetricsRegistry) {
    this.duration = new Histogram({
      name: 'cassandra_request_duration_seconds',
      help: 'Wall time of each Cassandra statement or single-statement batch, failed or not, by statement name and kind.',
      labelNames: ['statement', 'kind'],
      buckets: CASSANDRA_BUCKETS,
      registers: [registry],
    });
    this.errors = new Counter({
      name: 'cassandra_request_errors_total',
      help: 'Cassandra statements that failed, by statement name, kind and driver error class.',
      labelNames: ['statement', 'kind', 'error'],
      registers: [registry],
    });
    // Read at scrape time, so the value is never older than the scrape.
    const hostsUp: Gauge = new Gauge({
      name: 'cassandra_hosts_up',
      help: 'Cassandra nodes the driver currently considers up.',
      registers: [registry],
      collect: () => this.refresh(hostsUp, (counts) => counts.up),
    });
    const hostsKnown: Gauge = new Gauge({
      name: 'cassandra_hosts_known',
      help: 'Cassandra nodes the driver knows of, up or down.',
      registers: [registry],
      collect: () => this.refresh(hostsKnown, (counts) => counts.known),
    });
    // Above 1 for long means a node stayed on another schema after a failure: DDL (db:migrate)
    // then fails until an operator heals it, while reads and writes go on (docs/runbook.md).
    const schemaVersions: Gauge = new Gauge({
      name: 'cassandra_schema_versions',
      help: 'Distinct schema versions among the Cassandra nodes that are up, each asked for its own (1 when they agree).',
      registers: [registry],
      collect: () => this.refreshSchemaVersions(schemaVersions),
    });
  }

  /** Records the wall time of one statement, failed or not. */
  observe(statementName: string, kind: StatementKind, seconds: number): void {
    this.duration.observe({ statement: statementName, kind }, seconds);
  }

  /** Counts one failed statement under its error class (`NoHostAvailableError`, `ResponseError`, …). */
  error(statementName: string, kind: StatementKind, errorClass: string): void {
    this.errors.inc({ statement: statementName, kind, error: ERROR_CLASS.test(errorClass) ? errorClass : 'Error' });
  }

  /** Feeds `cassandra_hosts_up` and `cassandra_hosts_known` from the session's driver. */
  watchHosts(hostCounts: () => CassandraHostCounts): void {
    this.hostCounts = hostCounts;
  }

  /** Feeds `cassandra_schema_versions` from the session's driver. */
  watchSchemaVersions(distinctSchemaVersions: () => Promise<number>): void {
    this.distinctSchemaVersions = distinctSchemaVersions;
  }

  private async refreshSchemaVersions(gauge: Gauge): Promise<void> {
    if (this.distinctSchemaVersions === null) return;
    try {
      const versions = await this.distinctSchemaVersions();
      // No node answered: nothing is known, keep the last value rather than report agreement.
      if (versions > 0) gauge.set(versions);
    } catch {
      // A scrape must never fail because the driver is shutting down: keep the last value.
    }
  }

  private refresh(gauge: Gauge, pick: (counts: CassandraHostCounts) => number): void {
    if (this.hostCounts === null) return;
    try {
      gauge.set(pick(this.hostCounts()));
    } catch {
      // A scrape must never fail because the driver is shutting down: keep the last value.
    }
  }
}
