import { Module } from '@nestjs/common';
import { PageTokens } from '../paging/page-tokens';
import { TimeSeriesController } from './time-series.controller';
import { TimeSeriesService } from './time-series.service';

@Module({
  controllers: [TimeSeriesController],
  providers: [TimeSeriesService, PageTokens],
})
export class TimeSeriesModule {}
