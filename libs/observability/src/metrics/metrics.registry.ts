import { Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The registry /metrics serves. One per application rather than prom-client's global one:
 * two apps built in one process (the e2e suites do) never collide on a metric name, and a
 * gauge fed from a callback reads its own application's state.
 */
export class MetricsRegistry extends Registry {
  /** A registry that already holds prom-client's default process and Node.js metrics. */
  static withDefaultMetrics(): MetricsRegistry {
    const registry = new MetricsRegistry();
    collectDefaultMetrics({ register: registry });
    return registry;
  }
}
