import { Module } from '@nestjs/common';
import { ConfigModule, type ConfigType } from '@nestjs/config';
import { CassandraModule } from '@market/cassandra';
import { HealthModule, ObservabilityModule } from '@market/observability';
import { ingestorConfig } from './config/ingestor.config';
import { JobsModule } from './jobs/jobs.module';

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
    HealthModule.forRootAsync({
      inject: [ingestorConfig.KEY],
      useFactory: (config: ConfigType<typeof ingestorConfig>) => ({ checkTimeoutMs: config.healthCheckTimeoutMs }),
    }),
    JobsModule,
  ],
})
export class AppModule {}
