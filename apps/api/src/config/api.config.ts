import { randomBytes } from 'node:crypto';
import { registerAs } from '@nestjs/config';
import { z } from 'zod';
import { type CassandraConfig, cassandraConfigFromEnv, cassandraEnvSchema } from '@market/cassandra';
import { integerVar, parseEnv, portVar, stringVar } from '@market/config';
import { type ObservabilityConfig, observabilityConfigFromEnv, observabilityEnvSchema } from '@market/observability';
import { type AuthConfig, authConfigFromEnv, authEnvSchema } from '@market/auth';

const apiEnvSchema = cassandraEnvSchema.extend({
  ...observabilityEnvSchema.shape,
  ...authEnvSchema.shape,
  PORT: portVar(8000),
  HOST: stringVar('0.0.0.0', { regex: /^[0-9A-Za-z.:-]+$/, description: 'an address to listen on' }),
  HEALTH_CHECK_TIMEOUT_MS: integerVar(2000, 100, 60000),
  REQUEST_TIMEOUT_MS: integerVar(10000, 100, 120000),
  RETRY_AFTER_SECONDS: integerVar(5, 1, 3600),
  RANGE_CAP_POINTS: integerVar(400000, 1, 100000000),
  RANGE_MAX_EMPTY_BUCKETS: integerVar(60, 1, 10000),
  PAGE_TOKEN_SECRET: z.string().min(32, { error: 'must be at least 32 characters' }).optional(),
  PAGE_TOKEN_TTL_SECONDS: integerVar(86400, 1, 31536000),
  CORS_ORIGINS: z
    .string()
    .transform((text) =>
      text
        .split(',')
        .map((origin) => origin.trim())
        .filter((origin) => origin !== ''),
    )
    .pipe(z.array(z.url({ error: 'must be a comma-separated list of origins (https://host[:port])' })))
    .default([]),
  RATE_LIMIT_PER_MINUTE: integerVar(600, 0, 1_000_000),
  RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: integerVar(30, 0, 1_000_000),
  MAX_URL_LENGTH: integerVar(4096, 256, 65536),
  EXPORT_MAX_ROWS: integerVar(5_000_000, 1, 1_000_000_000),
});

export interface ApiConfig {
  readonly cassandra: CassandraConfig;
  readonly observability: ObservabilityConfig;
  readonly auth: AuthConfig;
  readonly http: { readonly port: number; readonly host: string };
  readonly healthCheckTimeoutMs: number;
  /** A request that takes longer answers 503 with Retry-After instead of hanging. */
  readonly requestTimeoutMs: number;
  readonly retryAfterSeconds: number;
  /** The most base rows one range request may read (not the span of the range: any span is fine). */
  readonly rangeCapPoints: number;
  /** The most month buckets without a row one range request reads before it returns a page token instead. */
  readonly rangeMaxEmptyBuckets: number;
  /** Browser origins allowed to call the API (CORS); none by default. */
  readonly corsOrigins: readonly string[];
  /** Requests per caller (principal, or client IP without auth) and minute; 0 turns rate limiting off. */
  readonly rateLimitPerMinute: number;
  /** Failed authentications per client address and minute before 429; 0 turns this limit off. */
  readonly authFailuresPerMinute: number;
  readonly maxUrlLength: number;
  /** The most rows one CSV/NDJSON/Parquet export of a range may hold. */
  readonly exportMaxRows: number;
  readonly pageTokens: {
    readonly secret: string;
    /** True when no PAGE_TOKEN_SECRET was set: tokens then die with the process. */
    readonly ephemeralSecret: boolean;
    readonly ttlSeconds: number;
  };
}

/** Validates every variable the API reads; a bad one stops start-up with its name. */
export function loadApiConfig(env: Readonly<Record<string, string | undefined>>): ApiConfig {
  const parsed = parseEnv(apiEnvSchema, env);
  return {
    cassandra: cassandraConfigFromEnv(parsed),
    observability: observabilityConfigFromEnv(parsed),
    auth: authConfigFromEnv(parsed),
    http: { port: parsed.PORT, host: parsed.HOST },
    healthCheckTimeoutMs: parsed.HEALTH_CHECK_TIMEOUT_MS,
    requestTimeoutMs: parsed.REQUEST_TIMEOUT_MS,
    retryAfterSeconds: parsed.RETRY_AFTER_SECONDS,
    rangeCapPoints: parsed.RANGE_CAP_POINTS,
    rangeMaxEmptyBuckets: parsed.RANGE_MAX_EMPTY_BUCKETS,
    corsOrigins: parsed.CORS_ORIGINS,
    rateLimitPerMinute: parsed.RATE_LIMIT_PER_MINUTE,
    authFailuresPerMinute: parsed.RATE_LIMIT_AUTH_FAILURES_PER_MINUTE,
    maxUrlLength: parsed.MAX_URL_LENGTH,
    exportMaxRows: parsed.EXPORT_MAX_ROWS,
    pageTokens: {
      secret: parsed.PAGE_TOKEN_SECRET ?? randomBytes(32).toString('hex'),
      ephemeralSecret: parsed.PAGE_TOKEN_SECRET === undefined,
      ttlSeconds: parsed.PAGE_TOKEN_TTL_SECONDS,
    },
  };
}

export const apiConfig = registerAs('api', (): ApiConfig => loadApiConfig(process.env));
