import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { apiKeyHash, parseApiKeysFile } from '@market/auth';

const ROOT = path.resolve(__dirname, '..');

/** `npm run auth:api-key -- <args>`, as a user runs it. */
function authApiKey(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'scripts/auth-api-key.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
}

function printedKey(stdout: string): string {
  const key = /^(mwk_\S+)$/m.exec(stdout)?.[1];
  if (key === undefined) throw new Error(`no key printed:\n${stdout}`);
  return key;
}

describe('npm run auth:api-key', () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'auth-api-key-')), 'api-keys.json');

  it('records only the hash of a new key in the keys file, and prints the key once', () => {
    const first = authApiKey(['--name', 'grafana', '--scopes', 'read:metrics', '--file', file]);
    expect(first.status).toBe(0);
    const second = authApiKey(['--name', 'analyst', '--scopes', 'read:data, read:assets', '--file', file]);
    expect(second.status).toBe(0);
    const entries = parseApiKeysFile(readFileSync(file, 'utf8'));
    expect(entries).toEqual([
      { name: 'grafana', sha256: apiKeyHash(printedKey(first.stdout)), scopes: ['read:metrics'] },
      { name: 'analyst', sha256: apiKeyHash(printedKey(second.stdout)), scopes: ['read:data', 'read:assets'] },
    ]);
    expect(readFileSync(file, 'utf8')).not.toContain(printedKey(first.stdout));
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('refuses an unknown scope or a taken name with exit 2, leaving the file as it was', () => {
    const before = readFileSync(file, 'utf8');
    const badScope = authApiKey(['--name', 'x', '--scopes', 'write:data', '--file', file]);
    expect(badScope.status).toBe(2);
    expect(badScope.stderr).toContain('unknown scope write:data: choose from read:data, read:assets, read:metrics');
    const taken = authApiKey(['--name', 'grafana', '--scopes', 'read:data', '--file', file]);
    expect(taken.status).toBe(2);
    expect(taken.stderr).toContain('key "grafana" is listed twice');
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('without --file prints the entry to add', () => {
    const printed = authApiKey(['--name', 'ci', '--scopes', 'read:data']);
    expect(printed.status).toBe(0);
    expect(printed.stdout).toContain(`"sha256": "${apiKeyHash(printedKey(printed.stdout))}"`);
    expect(printed.stdout).toContain('Add this entry to the "keys" list of your AUTH_API_KEYS_FILE');
  });
});
