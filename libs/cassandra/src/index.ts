export * from './buckets';
export * from './cassandra.config';
export { CassandraModule } from './cassandra.module';
export { CASSANDRA_CONFIG } from './cassandra.module-definition';
export { CassandraSession, type CqlStatement, type ExecuteOptions } from './cassandra.session';
export { clientOptions, consistencyCode } from './client-options';
export { decimalText } from './decimal';
export { CassandraHealthIndicator } from './health/cassandra.health';
export { loadMigrations, type Migration } from './migrations/migration-files';
export { Migrator, type MigrationReport, type MigratorOptions, replicationCql } from './migrations/migrator';
export { runMigrations } from './migrations/run-migrations';
export {
  type NodeSchemaVersion,
  SchemaDisagreementError,
  type SchemaVersionGroups,
  groupSchemaVersions,
  readSchemaVersions,
} from './migrations/schema-agreement';
export { type PricePoint, type SeriesKind, baseBarOf, pricePointFromRow } from './price-point';
export { IdempotentRetryPolicy } from './retry.policy';
export {
  type BarValues,
  type PricePointInput,
  type SlicePage,
  TimeSeriesRepository,
} from './repositories/time-series.repository';
export { type CatalogEntry, type CatalogPage, CatalogRepository } from './repositories/catalog.repository';
export { CorporateActionRepository } from './repositories/corporate-action.repository';
export { type DataSource, DataSourceRepository } from './repositories/data-source.repository';
export { QuoteRepository, quoteOrderKey, sourceRank } from './repositories/quote.repository';
export { type CheckpointKey, IngestStateRepository } from './repositories/ingest-state.repository';
export { PartitionChangeRepository } from './repositories/partition-change.repository';
export {
  type DailyRollup,
  type DailyRollupValues,
  type LocalDay,
  type RollupDay,
  type RollupReplaceOutcome,
  type RollupVersion,
  RollupRepository,
  yearOfDay,
} from './repositories/rollup.repository';
export { type SeriesExtent, SeriesExtentRepository } from './repositories/series-extent.repository';
export { type RangeReadPage, type RangeReadRequest, RangeReader } from './series/range-reader';
export {
  NO_FOLLOW_UPS,
  type PartitionChunk,
  type SeriesWriteLimits,
  SeriesWriter,
  type WriteFollowUps,
  mergeFollowUps,
  partitionChunks,
} from './series/series-writer';
export { forEachBounded } from './series/for-each-bounded';
export { type LocalDayWindow, localDayAt, localDayNamed, localDaysBetween, localDaysOf } from './series/local-days';
export { RollupContentionError } from './series/rollup-maintainer';
export { RefusedPagingStateError, StorageUnavailableError, describeStorageError } from './storage-errors';
export {
  InvalidPageTokenError,
  type InvalidPageTokenReason,
  type PagePosition,
  type PageQuery,
  type PageQueryToCheck,
  decodePageToken,
  encodePageToken,
} from './page-token';
export {
  CASSANDRA_STATEMENT_OBSERVER,
  type CassandraHostCounts,
  type CassandraStatementObserver,
  type StatementKind,
} from './statement-observer';
export { type CoverageSeries, CoverageReader } from './series/coverage-reader';
export {
  COVERAGE_STATUSES,
  type CoverageStatus,
  type CoverageTotals,
  type MissingRange,
  type SessionCoverage,
  coverageTotals,
  missingRanges,
} from './series/session-coverage';
export { type ConfirmedEmptyRange, EmptyRangeRepository } from './repositories/empty-range.repository';
