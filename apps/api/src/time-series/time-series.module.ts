import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { PageTokens } from '../paging/page-tokens';
import { BaseBarAggregator } from './base-bar-aggregator';
import { DAILY_BAR_SOURCE, INTRADAY_BAR_SOURCE } from './bar-source';
import { TimeSeriesController } from './time-series.controller';
import { TimeSeriesService } from './time-series.service';

@Module({
  imports: [CatalogModule],
  controllers: [TimeSeriesController],
  providers: [
    TimeSeriesService,
    PageTokens,
    BaseBarAggregator,
    { provide: INTRADAY_BAR_SOURCE, useExisting: BaseBarAggregator },
    // The seam for 1d/1w/1mo: rebind to a rollup-backed BarSource once daily rollups exist.
    { provide: DAILY_BAR_SOURCE, useExisting: BaseBarAggregator },
  ],
})
export class TimeSeriesModule {}
