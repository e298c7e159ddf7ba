import 'reflect-metadata';
import { type INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { ConfigType } from '@nestjs/config';
import { AppModule } from './app.module';
import { apiConfig, loadApiConfig } from './config/api.config';

export const API_PREFIX = 'api/v1';

/** Builds the API application with its global settings, without listening. */
export async function createApiApp(): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule, { abortOnError: false });
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health', 'health/(.*)'] });
  app.enableShutdownHooks();
  return app;
}

async function bootstrap(): Promise<void> {
  // Validated before Nest starts, so a bad variable ends in one clear message, not a stack trace.
  loadApiConfig(process.env);
  const app = await createApiApp();
  const { http } = app.get<ConfigType<typeof apiConfig>>(apiConfig.KEY);
  await app.listen(http.port, http.host);
  new Logger('Bootstrap').log(`API listening on http://${http.host}:${http.port}`);
}

if (require.main === module) {
  bootstrap().catch((error: unknown) => {
    process.stderr.write(`API failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
