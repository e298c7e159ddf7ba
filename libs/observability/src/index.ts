export { HealthModule } from './health/health.module';
export type { HealthOptions } from './health/health.module-definition';
export { ObservabilityModule } from './observability.module';
export type { ObservabilityOptions } from './observability.module-definition';
export {
  LOG_LEVELS,
  type LogLevel,
  type ObservabilityConfig,
  observabilityConfigFromEnv,
  observabilityEnvSchema,
} from './observability.config';
export { CassandraMetrics } from './metrics/cassandra-metrics';
export { MetricsRegistry } from './metrics/metrics.registry';
export { REQUEST_ID_HEADER } from './logging/request-id';
export { HealthController } from './health/health.controller';
export { MetricsController } from './metrics/metrics.controller';
export { stopOnSignals } from './lifecycle/stop-on-signals';
