import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { CassandraConfig } from './cassandra.config';

/** Global by default: one Cassandra session per process, visible to every feature module. */
export const { ConfigurableModuleClass: ConfigurableCassandraModule, MODULE_OPTIONS_TOKEN: CASSANDRA_CONFIG } =
  new ConfigurableModuleBuilder<CassandraConfig>()
    .setClassMethodName('forRoot')
    .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
    .build();
