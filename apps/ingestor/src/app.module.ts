import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { HealthModule } from '@market/observability';
import { ingestorConfig } from './config/ingestor.config';
import { INGESTOR_INFRASTRUCTURE } from './ingestor-infrastructure';
import { JobsModule } from './jobs/jobs.module';

/** The worker: scheduled jobs, plus health and metrics on its own small HTTP port. */
@Module({
  imports: [
    ...INGESTOR_INFRASTRUCTURE,
    HealthModule.forRootAsync({
      inject: [ingestorConfig.KEY],
      useFactory: (config: ConfigType<typeof ingestorConfig>) => ({ checkTimeoutMs: config.healthCheckTimeoutMs }),
    }),
    JobsModule,
  ],
})
export class AppModule {}
