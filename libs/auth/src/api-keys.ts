import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ALL_SCOPES, isScope, type Scope } from './scopes';

/** Every key this API issues starts with this, so a leaked one is recognisable (secret scanners). */
export const API_KEY_PREFIX = 'mwk_';

/** One client's API key as configured: its name, the SHA-256 of the key, and what it may read. */
export interface ApiKeyEntry {
  readonly name: string;
  readonly sha256: string;
  readonly scopes: readonly Scope[];
}

/** A new random key: 256 bits, URL-safe. */
export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(32).toString('base64url');
}

/**
 * How a key is stored and compared. A plain SHA-256 is enough (and a slow password hash
 * would only cost CPU on every request): the keys are 256 random bits, so a leaked hash
 * cannot be reversed by guessing.
 */
export function apiKeyHash(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

const apiKeysFileSchema = z.object({
  keys: z.array(
    z.strictObject({
      name: z
        .string()
        .regex(/^[A-Za-z0-9._-]{1,64}$/, { error: 'must be 1-64 letters, digits, dots, dashes or underscores' }),
      sha256: z.string().regex(/^[0-9a-f]{64}$/, { error: 'must be 64 lowercase hex digits (the SHA-256 of the key)' }),
      scopes: z
        .array(z.string().refine(isScope, { error: `must be one of ${ALL_SCOPES.join(', ')}` }))
        .min(1, { error: 'must grant at least one scope' }),
    }),
  ),
});

/**
 * The keys file's entries, or an error naming the first problem: a key file that does not
 * parse stops start-up rather than silently locking clients out.
 */
export function parseApiKeysFile(text: string): ApiKeyEntry[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`is not JSON: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const result = apiKeysFileSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`${issue?.path.join('.') ?? ''} ${issue?.message ?? 'is invalid'}`.trim());
  }
  const entries = result.data.keys.map((key) => ({ ...key, scopes: key.scopes.filter(isScope) }));
  const names = new Set<string>();
  const hashes = new Set<string>();
  for (const { name, sha256 } of entries) {
    if (names.has(name) || hashes.has(sha256)) throw new Error(`key "${name}" is listed twice (by name or hash)`);
    names.add(name);
    hashes.add(sha256);
  }
  return entries;
}
