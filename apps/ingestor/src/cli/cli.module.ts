import { Module } from '@nestjs/common';
import { BackfillModule } from '../backfill/backfill.module';
import { IngestModule } from '../ingest/ingest.module';
import { INGESTOR_INFRASTRUCTURE } from '../ingestor-infrastructure';
import { BackfillCommand } from './backfill.command';
import { ImportCommand } from './import.command';
import { LakeCommand } from './lake.command';
import { LakeExporter } from '../lake/lake-exporter';
import { RollupCommand } from './rollup.command';

/** The one-off commands: the ingest path without the scheduler or the HTTP server. */
@Module({
  imports: [...INGESTOR_INFRASTRUCTURE, IngestModule, BackfillModule],
  providers: [BackfillCommand, ImportCommand, RollupCommand, LakeCommand, LakeExporter],
})
export class CliModule {}
