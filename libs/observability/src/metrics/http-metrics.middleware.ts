import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { Request, Response } from 'express';
import { HttpMetrics } from './http-metrics';
import { routeTemplate } from './route-template';

/** nginx's convention for "the client closed the connection before the response was sent". */
export const CLIENT_CLOSED_REQUEST = '499';

/**
 * Times every request and records it when the response ends. A middleware rather than an
 * interceptor: it also sees requests that match no route and those answered by exception
 * filters, with the status actually sent. The route is read at the end, once Express has
 * matched it.
 */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  /** Requests being timed: an excluded path can be mounted twice (`health` and `health/{*path}` both match `/health/live`). */
  private readonly timed = new WeakSet<Request>();

  constructor(private readonly metrics: HttpMetrics) {}

  use(request: Request, response: Response, next: () => void): void {
    if (this.timed.has(request)) return next();
    this.timed.add(request);
    const started = process.hrtime.bigint();
    let recorded = false;
    const record = (): void => {
      if (recorded) return;
      recorded = true;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      // Express pre-sets 200, so a response that never finished must not count as one.
      const status = response.writableFinished ? String(response.statusCode) : CLIENT_CLOSED_REQUEST;
      this.metrics.observe({ route: routeTemplate(request), method: request.method, status }, seconds);
    };
    response.once('finish', record);
    response.once('close', record);
    next();
  }
}
