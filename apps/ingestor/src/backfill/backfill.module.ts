import { Module } from '@nestjs/common';
import { IngestModule } from '../ingest/ingest.module';
import { BackfillService } from './backfill.service';

@Module({
  imports: [IngestModule],
  providers: [BackfillService],
  exports: [BackfillService],
})
export class BackfillModule {}
