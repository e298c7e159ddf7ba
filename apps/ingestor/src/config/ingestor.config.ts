import path from 'node:path';
import { registerAs } from '@nestjs/config';
import { z } from 'zod';
import { type CassandraConfig, cassandraConfigFromEnv, cassandraEnvSchema } from '@market/cassandra';
import { type ObservabilityConfig, observabilityConfigFromEnv, observabilityEnvSchema } from '@market/observability';
import { booleanVar, integerVar, parseEnv, portVar, stringVar } from '@market/config';
import { type AuthConfig, authConfigFromEnv, authEnvSchema } from '@market/auth';
import type { ProviderName } from '../providers/provider-registry';
import type { ProviderSettings } from '../providers/provider-settings';

const optionalUrl = z.url({ error: 'must be an http(s) URL' }).optional();

const ingestorEnvSchema = cassandraEnvSchema.extend({
  ...observabilityEnvSchema.shape,
  INGESTOR_PORT: portVar(8001),
  // Loopback unless set: health and metrics are for this machine's probes and scrapers (compose sets 0.0.0.0).
  INGESTOR_HOST: stringVar('127.0.0.1', { regex: /^[0-9A-Za-z.:-]+$/, description: 'an address to listen on' }),
  HEALTH_CHECK_TIMEOUT_MS: integerVar(2000, 100, 60000),
  JOBS_FILE: stringVar('config/jobs.json'),
  JOBS_ENABLED: booleanVar(true),
  JOB_LEASE_SECONDS: integerVar(60, 5, 3600),
  WRITE_CONCURRENCY: integerVar(16, 1, 512),
  WRITE_BATCH_ROWS: integerVar(100, 1, 500),
  PROVIDER_TIMEOUT_MS: integerVar(10000, 100, 120000),
  PROVIDER_MAX_ATTEMPTS: integerVar(4, 1, 10),
  HEAL_LOOKBACK_DAYS: integerVar(7, 0, 366),
  HEAL_MAX_ATTEMPTS: integerVar(3, 1, 10),
  HEAL_BACKOFF_MS: integerVar(1000, 0, 600000),
  SYNTHETIC_SEED: stringVar('market-warehouse'),
  YAHOO_BASE_URL: optionalUrl,
  YAHOO_SESSION_URL: optionalUrl,
  BINANCE_BASE_URL: optionalUrl,
  STOOQ_BASE_URL: optionalUrl,
  FRED_BASE_URL: optionalUrl,
  ALPHAVANTAGE_BASE_URL: optionalUrl,
  ALPHAVANTAGE_API_KEY: z.string().optional(),
});

export interface IngestorConfig {
  readonly cassandra: CassandraConfig;
  readonly observability: ObservabilityConfig;
  /** The ingestor's own small HTTP server, for health probes and metrics only. */
  readonly http: { readonly port: number; readonly host: string };
  readonly healthCheckTimeoutMs: number;
  readonly jobs: { readonly file: string; readonly enabled: boolean; readonly leaseSeconds: number };
  /** Backpressure: batches in flight, and rows per single-partition batch. */
  readonly writes: { readonly concurrency: number; readonly batchRows: number };
  readonly providers: Readonly<Partial<Record<ProviderName, ProviderSettings>>>;
  /** Gap healing: days a job looks back after each run (0: off), re-fetch attempts per range, first back-off. */
  readonly heal: { readonly lookbackDays: number; readonly maxAttempts: number; readonly backoffMs: number };
}

/** Validates every variable the ingestor reads; a bad one stops start-up with its name. */
export function loadIngestorConfig(env: Readonly<Record<string, string | undefined>>): IngestorConfig {
  const parsed = parseEnv(ingestorEnvSchema, env);
  const http = (baseUrl: string | undefined): ProviderSettings => ({
    timeoutMs: parsed.PROVIDER_TIMEOUT_MS,
    maxAttempts: parsed.PROVIDER_MAX_ATTEMPTS,
    ...(baseUrl === undefined ? {} : { baseUrl }),
  });
  return {
    cassandra: cassandraConfigFromEnv(parsed),
    observability: observabilityConfigFromEnv(parsed),
    http: { port: parsed.INGESTOR_PORT, host: parsed.INGESTOR_HOST },
    healthCheckTimeoutMs: parsed.HEALTH_CHECK_TIMEOUT_MS,
    jobs: {
      file: path.resolve(parsed.JOBS_FILE),
      enabled: parsed.JOBS_ENABLED,
      leaseSeconds: parsed.JOB_LEASE_SECONDS,
    },
    writes: { concurrency: parsed.WRITE_CONCURRENCY, batchRows: parsed.WRITE_BATCH_ROWS },
    heal: {
      lookbackDays: parsed.HEAL_LOOKBACK_DAYS,
      maxAttempts: parsed.HEAL_MAX_ATTEMPTS,
      backoffMs: parsed.HEAL_BACKOFF_MS,
    },
    providers: {
      synthetic: { seed: parsed.SYNTHETIC_SEED },
      yahoo: {
        ...http(parsed.YAHOO_BASE_URL),
        ...(parsed.YAHOO_SESSION_URL === undefined ? {} : { sessionUrl: parsed.YAHOO_SESSION_URL }),
      },
      binance: http(parsed.BINANCE_BASE_URL),
      stooq: http(parsed.STOOQ_BASE_URL),
      fred: http(parsed.FRED_BASE_URL),
      alphavantage: {
        ...http(parsed.ALPHAVANTAGE_BASE_URL),
        ...(parsed.ALPHAVANTAGE_API_KEY === undefined ? {} : { apiKey: parsed.ALPHAVANTAGE_API_KEY }),
      },
    },
  };
}

export const ingestorConfig = registerAs('ingestor', (): IngestorConfig => loadIngestorConfig(process.env));

/**
 * Who may read the worker's /metrics (and /health, unless AUTH_OPEN_ENDPOINTS leaves it
 * open): the API's AUTH_* variables, with the same defaults and meaning. The worker's
 * alone: the one-off commands serve no HTTP and need none of it.
 */
export function loadIngestorAuthConfig(env: Readonly<Record<string, string | undefined>>): AuthConfig {
  return authConfigFromEnv(parseEnv(authEnvSchema, env));
}

export const ingestorAuthConfig = registerAs('ingestor-auth', (): AuthConfig => loadIngestorAuthConfig(process.env));
