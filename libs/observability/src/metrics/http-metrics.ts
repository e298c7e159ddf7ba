import { Injectable } from '@nestjs/common';
import { Histogram } from 'prom-client';
import { MetricsRegistry } from './metrics.registry';

/** Seconds; the API's own request timeout defaults to 10 s, so the last finite bucket is 10. */
const HTTP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface HttpRequestLabels {
  /** The route template (`/api/v1/data/:asset_id`) or `unmatched`. */
  readonly route: string;
  readonly method: string;
  /** The status code sent, or `499` when the client hung up first. */
  readonly status: string;
}

/** `http_request_duration_seconds{route,method,status}`; its `_count` is the request counter. */
@Injectable()
export class HttpMetrics {
  private readonly duration: Histogram<keyof HttpRequestLabels>;

  constructor(registry: MetricsRegistry) {
    this.duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from receiving an HTTP request to the end of its response, by route template, method and status.',
      labelNames: ['route', 'method', 'status'],
      buckets: HTTP_BUCKETS,
      registers: [registry],
    });
  }

  /** Records one finished request. */
  observe(labels: HttpRequestLabels, seconds: number): void {
    this.duration.observe({ route: labels.route, method: labels.method, status: labels.status }, seconds);
  }
}
