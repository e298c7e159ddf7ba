import { EventEmitter } from 'node:events';
import type { Request, Response } from 'express';
import type { MetricValue } from 'prom-client';
import { HttpMetrics } from './http-metrics';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { MetricsRegistry } from './metrics.registry';

/** Just enough of an Express response: events, a status and whether it finished. */
class FakeResponse extends EventEmitter {
  statusCode = 200;
  writableFinished = false;

  finish(status: number): void {
    this.statusCode = status;
    this.writableFinished = true;
    this.emit('finish');
    this.emit('close');
  }
}

describe('HttpMetricsMiddleware', () => {
  let registry: MetricsRegistry;
  let middleware: HttpMetricsMiddleware;

  beforeEach(() => {
    registry = new MetricsRegistry();
    middleware = new HttpMetricsMiddleware(new HttpMetrics(registry));
  });

  async function counts() {
    const metric = registry.getSingleMetric('http_request_duration_seconds');
    const values = ((await metric?.get())?.values ?? []) as Array<MetricValue<string> & { metricName?: string }>;
    return values
      .filter(({ metricName }) => metricName === 'http_request_duration_seconds_count')
      .map(({ labels, value }) => ({ labels, value }));
  }

  function handle(request: Partial<Request>, response: FakeResponse): void {
    const next = jest.fn();
    middleware.use(request as Request, response as unknown as Response, next);
    expect(next).toHaveBeenCalledTimes(1);
  }

  it('records one observation per request, labelled by the route matched by the time it ends', async () => {
    const request: Partial<Request> = { method: 'GET', baseUrl: '' };
    const response = new FakeResponse();
    handle(request, response);
    request.route = { path: '/api/v1/data/:asset_id' };
    response.finish(404);
    expect(await counts()).toEqual([
      { labels: { route: '/api/v1/data/:asset_id', method: 'GET', status: '404' }, value: 1 },
    ]);
  });

  it('counts a request the client abandoned as 499, not as the 200 Express pre-sets', async () => {
    const response = new FakeResponse();
    handle({ method: 'GET' }, response);
    response.emit('close');
    expect(await counts()).toEqual([{ labels: { route: 'unmatched', method: 'GET', status: '499' }, value: 1 }]);
  });

  it('times a request once even when it passes the middleware twice', async () => {
    const request: Partial<Request> = { method: 'GET', route: { path: '/health/live' } };
    const response = new FakeResponse();
    handle(request, response);
    handle(request, response);
    response.finish(200);
    expect(await counts()).toEqual([{ labels: { route: '/health/live', method: 'GET', status: '200' }, value: 1 }]);
  });
});
