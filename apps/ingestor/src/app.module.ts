import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ConfigModule, type ConfigType } from '@nestjs/config';
import { AuthGuard, AuthModule } from '@market/auth';
import { HealthModule } from '@market/observability';
import { ingestorAuthConfig, ingestorConfig } from './config/ingestor.config';
import { INGESTOR_INFRASTRUCTURE } from './ingestor-infrastructure';
import { JobsModule } from './jobs/jobs.module';

/**
 * The worker: scheduled jobs, plus health and metrics on its own small HTTP port, which
 * asks for credentials as the API does (read:metrics for /metrics, unless left open).
 */
@Module({
  imports: [
    ...INGESTOR_INFRASTRUCTURE,
    HealthModule.forRootAsync({
      inject: [ingestorConfig.KEY],
      useFactory: (config: ConfigType<typeof ingestorConfig>) => ({ checkTimeoutMs: config.healthCheckTimeoutMs }),
    }),
    AuthModule.forRootAsync({
      imports: [ConfigModule.forFeature(ingestorAuthConfig)],
      inject: [ingestorAuthConfig.KEY],
      useFactory: (config: ConfigType<typeof ingestorAuthConfig>) => config,
    }),
    JobsModule,
  ],
  providers: [{ provide: APP_GUARD, useClass: AuthGuard }],
})
export class AppModule {}
