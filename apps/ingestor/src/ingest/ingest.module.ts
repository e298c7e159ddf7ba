import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import {
  PartitionChangeRepository,
  QuoteRepository,
  RollupRepository,
  SeriesExtentRepository,
  SeriesWriter,
  TimeSeriesRepository,
} from '@market/cassandra';
import { ingestorConfig } from '../config/ingestor.config';
import { PriceProvidersModule } from '../providers/price-providers.module';
import { IngestMetrics } from './ingest-metrics';
import { IngestService } from './ingest.service';
import { ActionsIngestService } from '../actions/actions-ingest.service';

/** The library's series writer, with the configured batch size and concurrency. */
const seriesWriterProvider = {
  provide: SeriesWriter,
  inject: [
    TimeSeriesRepository,
    QuoteRepository,
    SeriesExtentRepository,
    RollupRepository,
    ingestorConfig.KEY,
    PartitionChangeRepository,
  ],
  useFactory: (
    timeSeries: TimeSeriesRepository,
    quotes: QuoteRepository,
    extents: SeriesExtentRepository,
    rollups: RollupRepository,
    config: ConfigType<typeof ingestorConfig>,
    changes: PartitionChangeRepository,
  ) => new SeriesWriter(timeSeries, quotes, extents, rollups, config.writes, changes),
};

@Module({
  imports: [PriceProvidersModule],
  providers: [seriesWriterProvider, IngestMetrics, IngestService, ActionsIngestService],
  exports: [IngestService, IngestMetrics, SeriesWriter, ActionsIngestService],
})
export class IngestModule {}
