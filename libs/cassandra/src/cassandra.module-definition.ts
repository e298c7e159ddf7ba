import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { CassandraConfig } from './cassandra.config';

export const {
  ConfigurableModuleClass: ConfigurableCassandraModule,
  MODULE_OPTIONS_TOKEN: CASSANDRA_CONFIG,
} = new ConfigurableModuleBuilder<CassandraConfig>().setClassMethodName('forRoot').build();
