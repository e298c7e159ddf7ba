import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { ConfigurableHealthModule } from './health.module-definition';

/** /health, /health/live and /health/ready for either app. */
@Module({
  imports: [TerminusModule],
  controllers: [HealthController],
})
export class HealthModule extends ConfigurableHealthModule {}
