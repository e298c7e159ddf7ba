import { Module } from '@nestjs/common';
import { IngestModule } from '../ingest/ingest.module';
import { HealMetrics } from './heal-metrics';
import { HealService } from './heal.service';

@Module({
  imports: [IngestModule],
  providers: [HealMetrics, HealService],
  exports: [HealService],
})
export class HealModule {}
