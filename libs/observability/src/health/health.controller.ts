import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { CassandraHealthIndicator } from '@market/cassandra';
import { HEALTH_OPTIONS, type HealthOptions } from './health.module-definition';

/** Liveness and readiness for orchestrators; served outside /api/v1. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly cassandra: CassandraHealthIndicator,
    @Inject(HEALTH_OPTIONS) private readonly options: HealthOptions,
  ) {}

  /** The process is up and serving HTTP; never touches Cassandra. */
  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /** Ready to work: Cassandra answers at the configured consistency within the timeout. */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([() => this.cassandra.isReady('cassandra', this.options.checkTimeoutMs)]);
  }

  /** The same as /health/ready, for tools that probe a single path. */
  @Get()
  @HealthCheck()
  check() {
    return this.ready();
  }
}
