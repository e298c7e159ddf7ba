import 'reflect-metadata';
import { type INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger as PinoLogger } from 'nestjs-pino';
import { Authenticator } from '@market/auth';
import { ProblemExpressAdapter } from '@market/http';
import { stopOnSignals } from '@market/observability';
import type { ConfigType } from '@nestjs/config';
import { AppModule } from './app.module';
import { apiConfig, loadApiConfig } from './config/api.config';
import { protectDocs } from './auth/protect-docs';
import { ProblemDetailsFilter } from './errors/problem-details.filter';
import { RequestTimeoutInterceptor } from './errors/request-timeout.interceptor';
import { validationException } from './errors/validation-exception';
import { hardenHttp } from './http-hardening';
import { serveOpenApi } from './openapi/openapi-document';
import { QueryValidationPipe } from './validation/query-validation.pipe';

export const API_PREFIX = 'api/v1';

/** Applies the API's global behaviour: prefix, validation, error shape, timeout, OpenAPI. */
export function configureApiApp(app: NestExpressApplication, config: ConfigType<typeof apiConfig>): void {
  hardenHttp(app, config);
  // Express would hash every response body for an ETag: for a 1,000-row page that is
  // 130 KB through SHA-1 per request, for a validator no client of a cursor-paged API
  // sends back (every page is read once; quotes and ranges change as data arrives).
  app.set('etag', false);
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health', 'health/{*path}', 'metrics', 'console', 'console/{*path}'] });
  app.useGlobalPipes(
    // ValidationPipe, remembering the query strings it accepted (query-validation.pipe.ts).
    new QueryValidationPipe({
      transform: true,
      // Unknown query parameters are rejected (400), so a typo like `limt=10` never passes silently.
      whitelist: true,
      forbidNonWhitelisted: true,
      exceptionFactory: validationException,
    }),
  );
  const problemFilter = new ProblemDetailsFilter(config.retryAfterSeconds);
  app.useGlobalFilters(problemFilter);
  app.useGlobalInterceptors(new RequestTimeoutInterceptor(config.requestTimeoutMs));
  protectDocs(app, config.auth, app.get(Authenticator), problemFilter);
  serveOpenApi(app);
}

/** Builds the API application with its global settings, without listening. */
export async function createApiApp(): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, new ProblemExpressAdapter(), {
    abortOnError: false,
    bufferLogs: true,
  });
  app.useLogger(app.get(PinoLogger));
  const config = app.get<ConfigType<typeof apiConfig>>(apiConfig.KEY);
  configureApiApp(app, config);
  if (!config.auth.enabled) {
    new Logger('Bootstrap').warn(
      'AUTH_ENABLED=false: every route answers without credentials (local development only)',
    );
  }
  if (config.pageTokens.ephemeralSecret) {
    new Logger('Bootstrap').warn(
      'PAGE_TOKEN_SECRET is not set: page tokens are signed with a random key and die with this process',
    );
  }
  return app;
}

async function bootstrap(): Promise<void> {
  // Validated before Nest starts, so a bad variable ends in one clear message, not a stack trace.
  loadApiConfig(process.env);
  const app = await createApiApp();
  stopOnSignals(app);
  const { http } = app.get<ConfigType<typeof apiConfig>>(apiConfig.KEY);
  await app.listen(http.port, http.host);
  new Logger('Bootstrap').log(`API listening on http://${http.host}:${http.port}/${API_PREFIX} (docs at /docs)`);
}

if (require.main === module) {
  bootstrap().catch((error: unknown) => {
    process.stderr.write(`API failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
