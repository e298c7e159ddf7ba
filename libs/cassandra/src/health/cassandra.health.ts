import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { type CqlStatement, CassandraSession } from '../cassandra.session';

/**
 * Reads the keyspace's migration record at the configured read consistency: succeeds only
 * when the node answers, the schema is migrated and enough replicas are up.
 */
const READINESS_PROBE: CqlStatement = {
  name: 'schema_migrations.readiness_probe',
  cql: 'SELECT version FROM {{keyspace}}.schema_migrations LIMIT 1',
  kind: 'read',
  idempotent: true,
};

@Injectable()
export class CassandraHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly session: CassandraSession,
  ) {}

  /** Up when the probe answers within `timeoutMs`; down with the reason otherwise. */
  async isReady(key: string, timeoutMs: number) {
    const indicator = this.health.check(key);
    const connectedHosts = this.session.client.getState().getConnectedHosts().length;
    try {
      await Promise.race([
        this.session.execute(READINESS_PROBE, []),
        new Promise((_, reject) => {
          setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref();
        }),
      ]);
      return indicator.up({ connectedHosts, consistency: this.session.config.readConsistency });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return indicator.down({ connectedHosts, consistency: this.session.config.readConsistency, reason });
    }
  }
}
