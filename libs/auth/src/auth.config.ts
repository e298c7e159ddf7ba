import { existsSync, readFileSync } from 'node:fs';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { booleanVar, integerVar, InvalidConfigError } from '@market/config';
import { type ApiKeyEntry, parseApiKeysFile } from './api-keys';
import { algorithmsForPublicKey } from './jwt-algorithms';

export const OPENABLE_ENDPOINTS = ['health', 'metrics', 'docs'] as const;
export type OpenableEndpoint = (typeof OPENABLE_ENDPOINTS)[number];

export const authEnvSchema = z.object({
  AUTH_ENABLED: booleanVar(true),
  AUTH_JWT_SECRET: z.string().min(32, { error: 'must be at least 32 characters' }).optional(),
  AUTH_JWT_PUBLIC_KEY_FILE: z.string().optional(),
  AUTH_JWKS_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  AUTH_JWT_ISSUER: z.string().optional(),
  AUTH_JWT_AUDIENCE: z.string().optional(),
  AUTH_JWT_CLOCK_TOLERANCE_SECONDS: integerVar(30, 0, 600),
  AUTH_JWT_MAX_LIFETIME_SECONDS: integerVar(86400, 60, 31536000),
  AUTH_API_KEYS_FILE: z.string().optional(),
  AUTH_OPEN_ENDPOINTS: z
    .string()
    .transform((text) =>
      text
        .split(',')
        .map((name) => name.trim())
        .filter((name) => name !== '' && name !== 'none'),
    )
    .pipe(
      z.array(z.enum(OPENABLE_ENDPOINTS, { error: `must list some of ${OPENABLE_ENDPOINTS.join(', ')} (or none)` })),
    )
    .default(['health', 'docs']),
});

/** Where the keys that sign bearer tokens come from: exactly one source. */
export type JwtKeySource =
  | { readonly kind: 'secret'; readonly secret: Uint8Array }
  | { readonly kind: 'public-key'; readonly key: KeyObject; readonly algorithms: readonly string[] }
  | { readonly kind: 'jwks'; readonly url: URL };

export interface JwtConfig {
  readonly keySource: JwtKeySource;
  readonly issuer?: string;
  readonly audience?: string;
  readonly clockToleranceSeconds: number;
  /** Every token must carry `exp`, at most this far ahead of now: a leaked token dies within it. */
  readonly maxLifetimeSeconds: number;
}

export interface AuthConfig {
  /** Off only when AUTH_ENABLED=false: local development. */
  readonly enabled: boolean;
  /** Bearer JWTs are accepted when a key source is configured. */
  readonly jwt: JwtConfig | null;
  /** API keys (X-API-Key), held as SHA-256 hashes only. */
  readonly apiKeys: readonly ApiKeyEntry[];
  /** Endpoints answered without credentials. */
  readonly openEndpoints: ReadonlySet<OpenableEndpoint>;
}

type AuthEnv = z.output<typeof authEnvSchema>;

function jwtKeySource(env: AuthEnv, problems: string[]): JwtKeySource | null {
  const sources = (['AUTH_JWT_SECRET', 'AUTH_JWT_PUBLIC_KEY_FILE', 'AUTH_JWKS_URL'] as const).filter(
    (name) => env[name] !== undefined,
  );
  if (sources.length > 1) {
    problems.push(`${sources.join(' and ')} are all set: configure one source of JWT keys`);
    return null;
  }
  if (env.AUTH_JWT_SECRET !== undefined) {
    return { kind: 'secret', secret: new TextEncoder().encode(env.AUTH_JWT_SECRET) };
  }
  if (env.AUTH_JWKS_URL !== undefined) return { kind: 'jwks', url: new URL(env.AUTH_JWKS_URL) };
  const file = env.AUTH_JWT_PUBLIC_KEY_FILE;
  if (file === undefined) return null;
  if (!existsSync(file)) {
    problems.push(`AUTH_JWT_PUBLIC_KEY_FILE does not exist (got "${file}")`);
    return null;
  }
  let key: KeyObject;
  try {
    key = createPublicKey(readFileSync(file, 'utf8'));
  } catch {
    problems.push(`AUTH_JWT_PUBLIC_KEY_FILE is not a PEM public key (got "${file}")`);
    return null;
  }
  const algorithms = algorithmsForPublicKey(key);
  if (algorithms === null) {
    problems.push(`AUTH_JWT_PUBLIC_KEY_FILE holds a ${key.asymmetricKeyType ?? 'unknown'} key: use RSA, EC or Ed25519`);
    return null;
  }
  return { kind: 'public-key', key, algorithms };
}

function apiKeys(file: string | undefined, problems: string[]): ApiKeyEntry[] {
  if (file === undefined) return [];
  try {
    return parseApiKeysFile(readFileSync(file, 'utf8'));
  } catch (error) {
    problems.push(`AUTH_API_KEYS_FILE ${error instanceof Error ? error.message : String(error)} (file "${file}")`);
    return [];
  }
}

/**
 * The auth settings, with the files they name read and checked now: a missing key file or
 * an unusable public key stops start-up instead of locking every client out later.
 */
export function authConfigFromEnv(env: AuthEnv): AuthConfig {
  const problems: string[] = [];
  const keySource = jwtKeySource(env, problems);
  const keys = apiKeys(env.AUTH_API_KEYS_FILE, problems);
  if (env.AUTH_ENABLED && problems.length === 0 && keySource === null && keys.length === 0) {
    problems.push(
      'AUTH_ENABLED is true (the default) but no credentials are configured: set AUTH_JWT_SECRET, ' +
        'AUTH_JWT_PUBLIC_KEY_FILE, AUTH_JWKS_URL or AUTH_API_KEYS_FILE, or AUTH_ENABLED=false for local development',
    );
  }
  if (problems.length > 0) throw new InvalidConfigError(problems);
  return {
    enabled: env.AUTH_ENABLED,
    jwt:
      keySource === null
        ? null
        : {
            keySource,
            ...(env.AUTH_JWT_ISSUER === undefined ? {} : { issuer: env.AUTH_JWT_ISSUER }),
            ...(env.AUTH_JWT_AUDIENCE === undefined ? {} : { audience: env.AUTH_JWT_AUDIENCE }),
            clockToleranceSeconds: env.AUTH_JWT_CLOCK_TOLERANCE_SECONDS,
            maxLifetimeSeconds: env.AUTH_JWT_MAX_LIFETIME_SECONDS,
          },
    apiKeys: keys,
    openEndpoints: new Set(env.AUTH_OPEN_ENDPOINTS),
  };
}
