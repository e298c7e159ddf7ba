import { Module } from '@nestjs/common';
import { BarWriter } from './bar-writer';
import { IngestService } from './ingest.service';

@Module({
  providers: [BarWriter, IngestService],
  exports: [IngestService],
})
export class IngestModule {}
