import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ConfigurableCassandraModule } from './cassandra.module-definition';
import { CassandraSession } from './cassandra.session';
import { CassandraHealthIndicator } from './health/cassandra.health';
import { CatalogRepository } from './repositories/catalog.repository';
import { DataSourceRepository } from './repositories/data-source.repository';
import { IngestStateRepository } from './repositories/ingest-state.repository';
import { QuoteRepository } from './repositories/quote.repository';
import { TimeSeriesRepository } from './repositories/time-series.repository';

const REPOSITORIES = [
  CatalogRepository,
  DataSourceRepository,
  IngestStateRepository,
  QuoteRepository,
  TimeSeriesRepository,
];

/**
 * The only way the apps reach Cassandra: `CassandraModule.forRootAsync({ useFactory })`
 * with a validated CassandraConfig gives one connected session and the repositories.
 */
@Module({
  imports: [TerminusModule],
  providers: [CassandraSession, CassandraHealthIndicator, ...REPOSITORIES],
  exports: [CassandraSession, CassandraHealthIndicator, ...REPOSITORIES],
})
export class CassandraModule extends ConfigurableCassandraModule {}
