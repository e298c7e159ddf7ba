import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ConfigurableCassandraModule } from './cassandra.module-definition';
import { CassandraSession } from './cassandra.session';
import { CassandraHealthIndicator } from './health/cassandra.health';
import { CatalogRepository } from './repositories/catalog.repository';
import { CorporateActionRepository } from './repositories/corporate-action.repository';
import { DataSourceRepository } from './repositories/data-source.repository';
import { EmptyRangeRepository } from './repositories/empty-range.repository';
import { IngestStateRepository } from './repositories/ingest-state.repository';
import { PartitionChangeRepository } from './repositories/partition-change.repository';
import { QuoteRepository } from './repositories/quote.repository';
import { RollupRepository } from './repositories/rollup.repository';
import { SeriesExtentRepository } from './repositories/series-extent.repository';
import { TimeSeriesRepository } from './repositories/time-series.repository';
import { CoverageReader } from './series/coverage-reader';
import { RangeReader } from './series/range-reader';

const REPOSITORIES = [
  CatalogRepository,
  CorporateActionRepository,
  DataSourceRepository,
  EmptyRangeRepository,
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
  providers: [CassandraSession, CassandraHealthIndicator, ...REPOSITORIES, RangeReader, CoverageReader],
  exports: [CassandraSession, CassandraHealthIndicator, ...REPOSITORIES, RangeReader, CoverageReader],
})
export class CassandraModule extends ConfigurableCassandraModule {}
