import { ConfigurableModuleBuilder } from '@nestjs/common';

export interface HealthOptions {
  /** How long a readiness check may take before it counts as failed. */
  readonly checkTimeoutMs: number;
}

export const { ConfigurableModuleClass: ConfigurableHealthModule, MODULE_OPTIONS_TOKEN: HEALTH_OPTIONS } =
  new ConfigurableModuleBuilder<HealthOptions>().setClassMethodName('forRoot').build();
