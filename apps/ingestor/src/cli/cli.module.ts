import { Module } from '@nestjs/common';
import { ConfigModule, type ConfigType } from '@nestjs/config';
import { CassandraModule } from '@market/cassandra';
import { ObservabilityModule } from '@market/observability';
import { ingestorConfig } from '../config/ingestor.config';
import { IngestModule } from '../ingest/ingest.module';
import { BackfillCommand } from './backfill.command';
import { ImportCommand } from './import.command';

/** The one-off commands: the ingest path without the scheduler or the HTTP server. */
@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [ingestorConfig] }),
    CassandraModule.forRootAsync({
      inject: [ingestorConfig.KEY],
      useFactory: (config: ConfigType<typeof ingestorConfig>) => config.cassandra,
    }),
    ObservabilityModule.forRootAsync({
      inject: [ingestorConfig.KEY],
      useFactory: (config: ConfigType<typeof ingestorConfig>) => ({
        logLevel: config.observability.logLevel,
        service: 'ingestor',
      }),
    }),
    IngestModule,
  ],
  providers: [BackfillCommand, ImportCommand],
})
export class CliModule {}
