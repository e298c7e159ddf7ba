import { HttpException, HttpStatus, Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { NextFunction, Request, Response } from 'express';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { securityHeaders } from '@market/http';
import { apiConfig, type ApiConfig } from './config/api.config';

/**
 * Security headers (helmet's, less the TLS-only ones on plain HTTP), a CORS allow-list and a small request body (this API only
 * reads), so hostile input is refused early.
 */
export function hardenHttp(app: NestExpressApplication, config: Pick<ApiConfig, 'corsOrigins'>): void {
  app.use(securityHeaders());
  app.enableCors({
    origin: [...config.corsOrigins],
    methods: ['GET', 'HEAD', 'OPTIONS'],
    exposedHeaders: ['X-Request-Id', 'Retry-After'],
  });
  app.useBodyParser('json', { limit: '16kb' });
}

/** Refuses over-long URLs with 414 (as a problem body, through the exception filter). */
@Injectable()
export class UrlLengthMiddleware implements NestMiddleware {
  constructor(@Inject(apiConfig.KEY) private readonly config: ConfigType<typeof apiConfig>) {}

  use(request: Request, _response: Response, next: NextFunction): void {
    if (request.originalUrl.length > this.config.maxUrlLength) {
      throw new HttpException(`the URL is longer than ${this.config.maxUrlLength} characters`, HttpStatus.URI_TOO_LONG);
    }
    next();
  }
}

/** This API only reads: every resource answers these methods (HEAD and OPTIONS come with GET). */
const ALLOWED_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Any other method gets 405 with `Allow` (RFC 9110), as a problem body, instead of
 * Express' 404 "Cannot POST": the resource exists, the method does not.
 */
@Injectable()
export class ReadOnlyMethodsMiddleware implements NestMiddleware {
  use(request: Request, response: Response, next: NextFunction): void {
    if (!ALLOWED_METHODS.has(request.method)) {
      response.setHeader('Allow', 'GET, HEAD');
      throw new HttpException(`${request.method} is not supported: this API only reads`, HttpStatus.METHOD_NOT_ALLOWED);
    }
    next();
  }
}
