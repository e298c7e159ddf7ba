import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ConfigurableCassandraModule } from './cassandra.module-definition';
import { CassandraSession } from './cassandra.session';
import { CassandraHealthIndicator } from './health/cassandra.health';
import { TimeSeriesRepository } from './repositories/time-series.repository';

/**
 * The only way the apps reach Cassandra: `CassandraModule.forRootAsync({ useFactory })`
 * with a validated CassandraConfig gives one connected session and the repositories.
 */
@Module({
  imports: [TerminusModule],
  providers: [CassandraSession, CassandraHealthIndicator, TimeSeriesRepository],
  exports: [CassandraSession, CassandraHealthIndicator, TimeSeriesRepository],
})
export class CassandraModule extends ConfigurableCassandraModule {}
