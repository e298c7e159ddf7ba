import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { SchedulerRegistry } from '@nestjs/schedule';
import { ingestorConfig } from '../config/ingestor.config';
import { JobRunner } from './job-runner';
import { type JobDefinition, loadJobs } from './jobs-file';

/** Thin: one interval per configured job, each run delegated to the JobRunner. */
@Injectable()
export class JobsScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(JobsScheduler.name);
  readonly jobs: JobDefinition[];

  constructor(
    private readonly runner: JobRunner,
    private readonly registry: SchedulerRegistry,
    @Inject(ingestorConfig.KEY) private readonly config: ConfigType<typeof ingestorConfig>,
  ) {
    this.jobs = config.jobs.enabled ? loadJobs(config.jobs.file) : [];
  }

  onApplicationBootstrap(): void {
    if (!this.config.jobs.enabled) {
      this.logger.log('jobs disabled (JOBS_ENABLED=false)');
      return;
    }
    for (const job of this.jobs) {
      this.registry.addInterval(
        job.id,
        setInterval(() => void this.runner.run(job), job.everySeconds * 1000),
      );
      void this.runner.run(job); // and once now, so a fresh start catches up at once
    }
    this.logger.log(
      `scheduled ${this.jobs.length} jobs from ${this.config.jobs.file} (lease owner ${this.runner.owner})`,
    );
  }

  /** SIGTERM: no new runs; runs in flight finish their current chunk, checkpoint it and release their lease. */
  async onApplicationShutdown(): Promise<void> {
    for (const job of this.jobs) if (this.registry.doesExist('interval', job.id)) this.registry.deleteInterval(job.id);
    await this.runner.drain();
  }
}
