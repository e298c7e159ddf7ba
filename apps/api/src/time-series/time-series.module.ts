import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { PageTokens } from '../paging/page-tokens';
import { TimeSeriesController } from './time-series.controller';
import { TimeSeriesService } from './time-series.service';

@Module({
  imports: [CatalogModule],
  controllers: [TimeSeriesController],
  providers: [TimeSeriesService, PageTokens],
})
export class TimeSeriesModule {}
