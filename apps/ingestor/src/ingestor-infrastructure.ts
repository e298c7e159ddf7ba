import { ConfigModule, type ConfigType } from '@nestjs/config';
import { CassandraModule } from '@market/cassandra';
import { ObservabilityModule } from '@market/observability';
import { ingestorConfig } from './config/ingestor.config';

/** What both the worker and the one-off commands stand on: validated config, Cassandra, metrics and logs. */
export const INGESTOR_INFRASTRUCTURE = [
  ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [ingestorConfig] }),
  CassandraModule.forRootAsync({
    inject: [ingestorConfig.KEY],
    useFactory: (config: ConfigType<typeof ingestorConfig>) => config.cassandra,
  }),
  ObservabilityModule.forRootAsync({
    inject: [ingestorConfig.KEY],
    useFactory: (config: ConfigType<typeof ingestorConfig>) => ({
      logLevel: config.observability.logLevel,
      service: 'ingestor',
    }),
  }),
];
