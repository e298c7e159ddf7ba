import { Module } from '@nestjs/common';
import { BackfillModule } from '../backfill/backfill.module';
import { IngestModule } from '../ingest/ingest.module';
import { INGESTOR_INFRASTRUCTURE } from '../ingestor-infrastructure';
import { BackfillCommand } from './backfill.command';
import { HealModule } from '../heal/heal.module';
import { HealCommand } from './heal.command';
import { ImportCommand } from './import.command';
import { ImportActionsCommand } from './import-actions.command';
import { LakeCommand } from './lake.command';
import { LakeExporter } from '../lake/lake-exporter';
import { RollupCommand } from './rollup.command';

/** The one-off commands: the ingest path without the scheduler or the HTTP server. */
@Module({
  imports: [...INGESTOR_INFRASTRUCTURE, IngestModule, BackfillModule, HealModule],
  providers: [
    BackfillCommand,
    ImportCommand,
    ImportActionsCommand,
    RollupCommand,
    HealCommand,
    LakeCommand,
    LakeExporter,
  ],
})
export class CliModule {}
