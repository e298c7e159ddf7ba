import 'reflect-metadata';
import { type INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoLogger } from 'nestjs-pino';
import { ProblemDetailsFilter, ProblemExpressAdapter, securityHeaders } from '@market/http';
import { stopOnSignals } from '@market/observability';
import type { ConfigType } from '@nestjs/config';
import { CommandFactory } from 'nest-commander';
import { AppModule } from './app.module';
import { CliModule } from './cli/cli.module';
import { UsageError } from './cli/series-options';
import { ingestorConfig, loadIngestorAuthConfig, loadIngestorConfig } from './config/ingestor.config';

/** One-off commands (`ingestor backfill …`, `ingestor import …`); anything else runs the worker. */
export const COMMANDS = new Set(['backfill', 'import']);

/**
 * Builds the ingestor worker. Its HTTP side serves health and metrics only, with the API's
 * security headers and error shape: any other path is a problem+json 404.
 */
export async function createIngestorApp(): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule, new ProblemExpressAdapter(), {
    abortOnError: false,
    bufferLogs: true,
  });
  app.useLogger(app.get(PinoLogger));
  app.use(securityHeaders());
  app.useGlobalFilters(new ProblemDetailsFilter());
  return app;
}

async function runWorker(): Promise<void> {
  // Validated before Nest starts, as the rest of the config is (the commands need none of it).
  loadIngestorAuthConfig(process.env);
  const app = await createIngestorApp();
  stopOnSignals(app);
  const { http } = app.get<ConfigType<typeof ingestorConfig>>(ingestorConfig.KEY);
  await app.listen(http.port, http.host);
  new Logger('Bootstrap').log(`ingestor health on http://${http.host}:${http.port}/health`);
}

async function runCommand(): Promise<void> {
  await CommandFactory.run(CliModule, {
    logger: ['error', 'warn'],
    serviceErrorHandler: (error: Error) => {
      process.stderr.write(`ingestor ${process.argv[2] ?? ''}: ${error.message}\n`);
      process.exitCode = error instanceof UsageError ? 2 : 1;
    },
    errorHandler: (error: Error) => {
      // commander's own parse errors (unknown option, --help) have printed their message already.
      process.exitCode = (error as Error & { exitCode?: number }).exitCode ?? 2;
    },
  });
}

if (require.main === module) {
  const command = process.argv[2];
  const label = command !== undefined && COMMANDS.has(command) ? `ingestor ${command}` : 'ingestor';
  Promise.resolve()
    // Validated before Nest starts, so a bad variable ends in one clear message, not a stack trace.
    .then(() => loadIngestorConfig(process.env))
    .then(() => (command !== undefined && COMMANDS.has(command) ? runCommand() : runWorker()))
    .catch((error: unknown) => {
      process.stderr.write(`${label} failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    });
}
