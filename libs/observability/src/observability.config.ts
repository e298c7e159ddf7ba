import { z } from 'zod';
import { enumVar } from '@market/config';

/** pino's levels, most to least severe; `silent` turns logging off (tests). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The variables ObservabilityModule reads; apps extend their own schema with its shape. */
export const observabilityEnvSchema = z.object({
  LOG_LEVEL: enumVar(LOG_LEVELS, 'info'),
});

export interface ObservabilityConfig {
  readonly logLevel: LogLevel;
}

/** The typed observability settings from a validated environment. */
export function observabilityConfigFromEnv(env: z.output<typeof observabilityEnvSchema>): ObservabilityConfig {
  return { logLevel: env.LOG_LEVEL };
}
