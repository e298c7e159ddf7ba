/**
 * npm run auth:api-key -- --name <client> --scopes read:data,read:assets [--file keys.json]
 *
 * Issues an API key: prints the key once (hand it to the client) and records only its
 * SHA-256 in the keys file the API reads (AUTH_API_KEYS_FILE), or prints the entry to add.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  ALL_SCOPES,
  type ApiKeyEntry,
  apiKeyHash,
  generateApiKey,
  isScope,
  parseApiKeysFile,
  type Scope,
} from '@market/auth';

function scopesFrom(text: string): Scope[] {
  const scopes = text.split(',').map((scope) => scope.trim());
  const unknown = scopes.filter((scope) => !isScope(scope));
  if (unknown.length > 0 || scopes.length === 0) {
    throw new Error(`unknown scope ${unknown.join(', ')}: choose from ${ALL_SCOPES.join(', ')}`);
  }
  return scopes.filter(isScope);
}

function main(): number {
  const { values } = parseArgs({
    options: { name: { type: 'string' }, scopes: { type: 'string' }, file: { type: 'string' } },
  });
  if (values.name === undefined || values.scopes === undefined) {
    throw new Error('usage: npm run auth:api-key -- --name <client> --scopes read:data,read:assets [--file keys.json]');
  }
  const key = generateApiKey();
  const entry: ApiKeyEntry = { name: values.name, sha256: apiKeyHash(key), scopes: scopesFrom(values.scopes) };
  if (values.file === undefined) {
    console.log(`Add this entry to the "keys" list of your AUTH_API_KEYS_FILE:\n${JSON.stringify(entry, null, 2)}`);
  } else {
    const existing = existsSync(values.file) ? parseApiKeysFile(readFileSync(values.file, 'utf8')) : [];
    // Parsing again checks the name is not taken before anything is written.
    const keys = [...existing, entry];
    parseApiKeysFile(JSON.stringify({ keys }));
    writeFileSync(values.file, `${JSON.stringify({ keys }, null, 2)}\n`, { mode: 0o600 });
    console.log(`Recorded "${entry.name}" (${entry.scopes.join(', ')}) in ${values.file}; restart the API to load it.`);
  }
  console.log(`\nThe key, shown only now; send it as the X-API-Key header:\n${key}`);
  return 0;
}

try {
  process.exitCode = main();
} catch (error) {
  console.error(`auth:api-key: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 2;
}
