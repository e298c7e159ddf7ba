import {
  type DynamicModule,
  Global,
  type MiddlewareConsumer,
  Module,
  type NestModule,
  RequestMethod,
} from '@nestjs/common';
import { ApplicationConfig } from '@nestjs/core';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { LoggerModule } from 'nestjs-pino';
import { CASSANDRA_STATEMENT_OBSERVER } from '@market/cassandra';
import { loggerParams } from './logging/logger-params';
import { CassandraMetrics } from './metrics/cassandra-metrics';
import { HttpMetrics } from './metrics/http-metrics';
import { HttpMetricsMiddleware } from './metrics/http-metrics.middleware';
import { MetricsController } from './metrics/metrics.controller';
import { MetricsRegistry } from './metrics/metrics.registry';
import {
  ConfigurableObservabilityModule,
  OBSERVABILITY_ASYNC_OPTIONS_TYPE,
  OBSERVABILITY_OPTIONS,
  OBSERVABILITY_OPTIONS_TYPE,
} from './observability.module-definition';

/** Every request, under the global prefix (its root included) or outside it; nestjs-pino uses the same pattern. */
const ALL_ROUTES = { path: '{/*splat}', method: RequestMethod.ALL };

/** Carries the options provider, so that LoggerModule's factory can inject the options too. */
@Module({})
class ObservabilityOptionsModule {}

/**
 * Metrics at /metrics and structured JSON logs with a request id, for either app; imported
 * once, by the root module. Global: the registry (an app's own metrics register there), the
 * Cassandra metrics and statement observer are injectable anywhere.
 */
@Global()
@Module({})
export class ObservabilityModule extends ConfigurableObservabilityModule implements NestModule {
  constructor(private readonly applicationConfig: ApplicationConfig) {
    super();
  }

  static override forRoot(options: typeof OBSERVABILITY_OPTIONS_TYPE): DynamicModule {
    return ObservabilityModule.assemble(super.forRoot(options));
  }

  static override forRootAsync(options: typeof OBSERVABILITY_ASYNC_OPTIONS_TYPE): DynamicModule {
    return ObservabilityModule.assemble(super.forRootAsync(options));
  }

  configure(consumer: MiddlewareConsumer): void {
    // Paths excluded from the global prefix (health, metrics) are not covered by a prefixed
    // wildcard: they are listed again, as they were excluded.
    const { exclude = [] } = this.applicationConfig.getGlobalPrefixOptions();
    consumer
      .apply(HttpMetricsMiddleware)
      .forRoutes(ALL_ROUTES, ...exclude.map(({ path, requestMethod }) => ({ path, method: requestMethod })));
  }

  /** The builder's options providers moved into a module of their own, which both this module and LoggerModule import. */
  private static assemble(definition: DynamicModule): DynamicModule {
    const options: DynamicModule = {
      module: ObservabilityOptionsModule,
      imports: definition.imports ?? [],
      providers: definition.providers ?? [],
      exports: [OBSERVABILITY_OPTIONS],
    };
    return {
      module: ObservabilityModule,
      global: true,
      imports: [
        options,
        LoggerModule.forRootAsync({ imports: [options], inject: [OBSERVABILITY_OPTIONS], useFactory: loggerParams }),
        // prom-client's default metrics go into our own registry (MetricsRegistry), not the global one.
        PrometheusModule.register({ controller: MetricsController, defaultMetrics: { enabled: false } }),
      ],
      providers: [
        { provide: MetricsRegistry, useFactory: () => MetricsRegistry.withDefaultMetrics() },
        HttpMetrics,
        CassandraMetrics,
        { provide: CASSANDRA_STATEMENT_OBSERVER, useExisting: CassandraMetrics },
      ],
      exports: [MetricsRegistry, CassandraMetrics, CASSANDRA_STATEMENT_OBSERVER],
    };
  }
}
