import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { DestinationStream } from 'pino';
import type { LogLevel } from './observability.config';

export interface ObservabilityOptions {
  /** The lowest level written (LOG_LEVEL). */
  readonly logLevel: LogLevel;
  /** Names the app in every log line (`"service":"api"`), so mixed logs stay attributable. */
  readonly service: string;
  /** Where log lines go; standard output when absent. Tests pass a stream to read them. */
  readonly logDestination?: DestinationStream;
}

export const {
  ConfigurableModuleClass: ConfigurableObservabilityModule,
  MODULE_OPTIONS_TOKEN: OBSERVABILITY_OPTIONS,
  OPTIONS_TYPE: OBSERVABILITY_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: OBSERVABILITY_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<ObservabilityOptions>().setClassMethodName('forRoot').build();
