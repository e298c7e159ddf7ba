import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { ConfigModule, type ConfigType } from '@nestjs/config';
import { CassandraModule } from '@market/cassandra';
import { HealthModule, ObservabilityModule } from '@market/observability';
import { AUTH_FAILURE_POLICY, AuthGuard, AuthModule } from '@market/auth';
import { AuthFailureLimiter } from './auth/auth-failure-limiter';
import { isUnthrottledRoute, PrincipalThrottlerGuard } from './auth/principal-throttler.guard';
import { CatalogModule } from './catalog/catalog.module';
import { ConsoleModule } from './console/console.module';
import { CoverageModule } from './coverage/coverage.module';
import { apiConfig } from './config/api.config';
import { ReadOnlyMethodsMiddleware, UrlLengthMiddleware } from './http-hardening';
import { QuotesModule } from './quotes/quotes.module';
import { TimeSeriesModule } from './time-series/time-series.module';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [apiConfig] }),
    CassandraModule.forRootAsync({
      inject: [apiConfig.KEY],
      useFactory: (config: ConfigType<typeof apiConfig>) => config.cassandra,
    }),
    ObservabilityModule.forRootAsync({
      inject: [apiConfig.KEY],
      useFactory: (config: ConfigType<typeof apiConfig>) => ({
        logLevel: config.observability.logLevel,
        service: 'api',
      }),
    }),
    HealthModule.forRootAsync({
      inject: [apiConfig.KEY],
      useFactory: (config: ConfigType<typeof apiConfig>) => ({ checkTimeoutMs: config.healthCheckTimeoutMs }),
    }),
    // Per caller; health, metrics and docs are never throttled (probes and scrapers poll them).
    ThrottlerModule.forRootAsync({
      inject: [apiConfig.KEY],
      useFactory: (config: ConfigType<typeof apiConfig>) => ({
        throttlers: [{ ttl: 60_000, limit: Math.max(config.rateLimitPerMinute, 1) }],
        skipIf: (context) => config.rateLimitPerMinute === 0 || isUnthrottledRoute(context),
      }),
    }),
    AuthModule.forRootAsync({
      inject: [apiConfig.KEY],
      useFactory: (config: ConfigType<typeof apiConfig>) => config.auth,
    }),
    CatalogModule,
    TimeSeriesModule,
    QuotesModule,
    CoverageModule,
    ConsoleModule,
  ],
  // In this order: the rate limiter counts per authenticated caller.
  providers: [
    AuthFailureLimiter,
    { provide: AUTH_FAILURE_POLICY, useExisting: AuthFailureLimiter },
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_GUARD, useClass: PrincipalThrottlerGuard },
  ],
})
export class AppModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // Every route, in the path syntax of path-to-regexp 8 (a bare '*' is legacy and logs a warning at start-up).
    consumer.apply(UrlLengthMiddleware, ReadOnlyMethodsMiddleware).forRoutes('{*splat}');
  }
}
