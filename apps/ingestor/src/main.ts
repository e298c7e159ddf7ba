import 'reflect-metadata';
import { type INestApplication, type INestApplicationContext, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoLogger } from 'nestjs-pino';
import { ProblemDetailsFilter, ProblemExpressAdapter, securityHeaders } from '@market/http';
import { stopOnSignals } from '@market/observability';
import type { ConfigType } from '@nestjs/config';
import { AppModule } from './app.module';
import { CliModule } from './cli/cli.module';
import { runCli } from './cli/cli-runner';
import { ingestorConfig, loadIngestorAuthConfig, loadIngestorConfig } from './config/ingestor.config';

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

/** The one-off commands' context: config validated first, no HTTP server, no scheduler. */
async function createCliContext(): Promise<INestApplicationContext> {
  // Validated before Nest starts, so a bad variable ends in one clear message, not a stack trace.
  loadIngestorConfig(process.env);
  return NestFactory.createApplicationContext(CliModule, { abortOnError: false, logger: ['error', 'warn'] });
}

if (require.main === module) {
  const args = process.argv.slice(2);
  if (args.length > 0) {
    // `ingestor backfill …`, `ingestor import …`, `ingestor --help`.
    runCli(args, createCliContext)
      .then((code) => {
        process.exitCode = code;
      })
      .catch((error: unknown) => {
        process.stderr.write(`ingestor ${args[0]}: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exitCode = 1;
      });
  } else {
    Promise.resolve()
      .then(() => loadIngestorConfig(process.env))
      .then(runWorker)
      .catch((error: unknown) => {
        process.stderr.write(`ingestor failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      });
  }
}
