import { registerAs } from '@nestjs/config';
import { type CassandraConfig, cassandraConfigFromEnv, cassandraEnvSchema } from '@market/cassandra';
import { integerVar, parseEnv, portVar, stringVar } from '@market/config';

const apiEnvSchema = cassandraEnvSchema.extend({
  PORT: portVar(8000),
  HOST: stringVar('0.0.0.0', { regex: /^[0-9A-Za-z.:-]+$/, description: 'an address to listen on' }),
  HEALTH_CHECK_TIMEOUT_MS: integerVar(2000, 100, 60000),
});

export interface ApiConfig {
  readonly cassandra: CassandraConfig;
  readonly http: { readonly port: number; readonly host: string };
  readonly healthCheckTimeoutMs: number;
}

/** Validates every variable the API reads; a bad one stops start-up with its name. */
export function loadApiConfig(env: Readonly<Record<string, string | undefined>>): ApiConfig {
  const parsed = parseEnv(apiEnvSchema, env);
  return {
    cassandra: cassandraConfigFromEnv(parsed),
    http: { port: parsed.PORT, host: parsed.HOST },
    healthCheckTimeoutMs: parsed.HEALTH_CHECK_TIMEOUT_MS,
  };
}

export const apiConfig = registerAs('api', (): ApiConfig => loadApiConfig(process.env));
