import 'reflect-metadata';
import { type INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { ConfigType } from '@nestjs/config';
import { AppModule } from './app.module';
import { ingestorConfig, loadIngestorConfig } from './config/ingestor.config';

/** Builds the ingestor application (its HTTP side serves health and metrics only). */
export async function createIngestorApp(): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule, { abortOnError: false });
  app.enableShutdownHooks();
  return app;
}

async function bootstrap(): Promise<void> {
  // Validated before Nest starts, so a bad variable ends in one clear message, not a stack trace.
  loadIngestorConfig(process.env);
  const app = await createIngestorApp();
  const { http } = app.get<ConfigType<typeof ingestorConfig>>(ingestorConfig.KEY);
  await app.listen(http.port, http.host);
  new Logger('Bootstrap').log(`ingestor health on http://${http.host}:${http.port}/health`);
}

if (require.main === module) {
  bootstrap().catch((error: unknown) => {
    process.stderr.write(`ingestor failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
