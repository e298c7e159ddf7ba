import { Module } from '@nestjs/common';
import { AdjustmentsModule } from '../adjustments/adjustments.module';
import { CatalogModule } from '../catalog/catalog.module';
import { GapFiller } from '../coverage/gap-filler';
import { ExportsModule } from '../exports/exports.module';
import { PageTokens } from '../paging/page-tokens';
import { BaseBarAggregator } from './base-bar-aggregator';
import { MultiSeriesController } from './multi-series.controller';
import { MultiSeriesService } from './multi-series.service';
import { DAILY_BAR_SOURCE, INTRADAY_BAR_SOURCE } from './bar-source';
import { RollupBarSource } from './rollup-bar-source';
import { TimeSeriesController } from './time-series.controller';
import { TimeSeriesService } from './time-series.service';

@Module({
  imports: [CatalogModule, AdjustmentsModule, ExportsModule],
  controllers: [TimeSeriesController, MultiSeriesController],
  providers: [
    TimeSeriesService,
    MultiSeriesService,
    PageTokens,
    GapFiller,
    BaseBarAggregator,
    RollupBarSource,
    { provide: INTRADAY_BAR_SOURCE, useExisting: BaseBarAggregator },
    // 1d/1w/1mo from the daily rollups kept at ingest (docs/rollups.md).
    { provide: DAILY_BAR_SOURCE, useExisting: RollupBarSource },
  ],
})
export class TimeSeriesModule {}
