import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ConfigurableCassandraModule } from './cassandra.module-definition';
import { CassandraSession } from './cassandra.session';
import { CassandraHealthIndicator } from './health/cassandra.health';
import { CatalogRepository } from './repositories/catalog.repository';
import { DataSourceRepository } from './repositories/data-source.repository';
import { IngestStateRepository } from './repositories/ingest-state.repository';
import { PartitionChangeRepository } from './repositories/partition-change.repository';
import { QuoteRepository } from './repositories/quote.repository';
import { RollupRepository } from './repositories/rollup.repository';
import { SeriesExtentRepository } from './repositories/series-extent.repository';
import { TimeSeriesRepository } from './repositories/time-series.repository';
import { RangeReader } from './series/range-reader';

const REPOSITORIES = [
  CatalogRepository,
  DataSourceRepository,
  IngestStateRepository,
  PartitionChangeRepository,
  QuoteRepository,
  RollupRepository,
  SeriesExtentRepository,
  TimeSeriesRepository,
];

/**
 * The only way the apps reach Cassandra: `CassandraModule.forRootAsync({ useFactory })`
 * with a validated CassandraConfig gives one connected session, the repositories and the
 * range reader.
 */
@Module({
  imports: [TerminusModule],
  providers: [CassandraSession, CassandraHealthIndicator, ...REPOSITORIES, RangeReader],
  exports: [CassandraSession, CassandraHealthIndicator, ...REPOSITORIES, RangeReader],
})
export class CassandraModule extends ConfigurableCassandraModule {}
