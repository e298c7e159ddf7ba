import { Module } from '@nestjs/common';
import { ConfigModule, type ConfigType } from '@nestjs/config';
import { CassandraModule } from '@market/cassandra';
import { HealthModule, ObservabilityModule } from '@market/observability';
import { CatalogModule } from './catalog/catalog.module';
import { apiConfig } from './config/api.config';
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
    CatalogModule,
    TimeSeriesModule,
    QuotesModule,
  ],
})
export class AppModule {}
