import { Module } from '@nestjs/common';
import { ConfigModule, type ConfigType } from '@nestjs/config';
import { CassandraModule } from '@market/cassandra';
import { HealthModule } from '@market/observability';
import { apiConfig } from './config/api.config';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [apiConfig] }),
    CassandraModule.forRootAsync({
      inject: [apiConfig.KEY],
      useFactory: (config: ConfigType<typeof apiConfig>) => config.cassandra,
    }),
    HealthModule.forRootAsync({
      inject: [apiConfig.KEY],
      useFactory: (config: ConfigType<typeof apiConfig>) => ({ checkTimeoutMs: config.healthCheckTimeoutMs }),
    }),
  ],
})
export class AppModule {}
