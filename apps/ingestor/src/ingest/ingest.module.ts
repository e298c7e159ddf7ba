import { Module } from '@nestjs/common';
import { PriceProvidersModule } from '../providers/price-providers.module';
import { BarWriter } from './bar-writer';
import { IngestMetrics } from './ingest-metrics';
import { IngestService } from './ingest.service';

@Module({
  imports: [PriceProvidersModule],
  providers: [BarWriter, IngestMetrics, IngestService],
  exports: [IngestService, IngestMetrics],
})
export class IngestModule {}
