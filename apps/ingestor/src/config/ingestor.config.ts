import { registerAs } from '@nestjs/config';
import { type CassandraConfig, cassandraConfigFromEnv, cassandraEnvSchema } from '@market/cassandra';
import { integerVar, parseEnv, portVar, stringVar } from '@market/config';

const ingestorEnvSchema = cassandraEnvSchema.extend({
  INGESTOR_PORT: portVar(8001),
  INGESTOR_HOST: stringVar('0.0.0.0', { regex: /^[0-9A-Za-z.:-]+$/, description: 'an address to listen on' }),
  HEALTH_CHECK_TIMEOUT_MS: integerVar(2000, 100, 60000),
});

export interface IngestorConfig {
  readonly cassandra: CassandraConfig;
  /** The ingestor's own small HTTP server, for health probes and metrics only. */
  readonly http: { readonly port: number; readonly host: string };
  readonly healthCheckTimeoutMs: number;
}

/** Validates every variable the ingestor reads; a bad one stops start-up with its name. */
export function loadIngestorConfig(env: Readonly<Record<string, string | undefined>>): IngestorConfig {
  const parsed = parseEnv(ingestorEnvSchema, env);
  return {
    cassandra: cassandraConfigFromEnv(parsed),
    http: { port: parsed.INGESTOR_PORT, host: parsed.INGESTOR_HOST },
    healthCheckTimeoutMs: parsed.HEALTH_CHECK_TIMEOUT_MS,
  };
}

export const ingestorConfig = registerAs('ingestor', (): IngestorConfig => loadIngestorConfig(process.env));
