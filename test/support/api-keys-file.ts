import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { apiKeyHash, generateApiKey, type Scope } from '@market/auth';

/**
 * A keys file (AUTH_API_KEYS_FILE) in a fresh temporary folder with one new key per
 * client, as `npm run auth:api-key` writes it; returns the file and each client's key.
 */
export function writeApiKeysFile<Name extends string>(
  clients: Record<Name, readonly Scope[]>,
): { file: string; keys: Record<Name, string> } {
  const keys = {} as Record<Name, string>;
  const entries = (Object.entries(clients) as Array<[Name, readonly Scope[]]>).map(([name, scopes]) => {
    keys[name] = generateApiKey();
    return { name, sha256: apiKeyHash(keys[name]), scopes };
  });
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'market-keys-')), 'api-keys.json');
  writeFileSync(file, JSON.stringify({ keys: entries }), { mode: 0o600 });
  return { file, keys };
}
