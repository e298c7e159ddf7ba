import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { HealModule } from '../heal/heal.module';
import { IngestModule } from '../ingest/ingest.module';
import { JobRunner } from './job-runner';
import { JobsScheduler } from './jobs.scheduler';

@Module({
  imports: [ScheduleModule.forRoot(), IngestModule, HealModule],
  providers: [JobRunner, JobsScheduler],
  exports: [JobRunner, JobsScheduler],
})
export class JobsModule {}
