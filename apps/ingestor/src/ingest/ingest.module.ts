import { Module } from '@nestjs/common';
import { BarWriter } from './bar-writer';
import { IngestMetrics } from './ingest-metrics';
import { IngestService } from './ingest.service';

@Module({
  providers: [BarWriter, IngestMetrics, IngestService],
  exports: [IngestService, IngestMetrics],
})
export class IngestModule {}
