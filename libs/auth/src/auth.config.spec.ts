import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InvalidConfigError, parseEnv } from '@market/config';
import { apiKeyHash } from './api-keys';
import { authConfigFromEnv, authEnvSchema } from './auth.config';

const folder = mkdtempSync(path.join(tmpdir(), 'auth-config-'));
const file = (name: string, text: string): string => {
  const target = path.join(folder, name);
  writeFileSync(target, text);
  return target;
};
const load = (env: Record<string, string>) => authConfigFromEnv(parseEnv(authEnvSchema, env));
const SECRET = 's'.repeat(32);

describe('auth configuration', () => {
  it('is on by default and refuses to start without any key source', () => {
    expect(() => load({})).toThrow(/AUTH_ENABLED is true \(the default\) but no credentials are configured/);
    expect(load({ AUTH_ENABLED: 'false' })).toMatchObject({ enabled: false, jwt: null, apiKeys: [] });
  });

  it('opens health and docs by default, and exactly what AUTH_OPEN_ENDPOINTS lists otherwise', () => {
    expect([...load({ AUTH_JWT_SECRET: SECRET }).openEndpoints]).toEqual(['health', 'docs']);
    expect([...load({ AUTH_JWT_SECRET: SECRET, AUTH_OPEN_ENDPOINTS: 'none' }).openEndpoints]).toEqual([]);
    expect([...load({ AUTH_JWT_SECRET: SECRET, AUTH_OPEN_ENDPOINTS: ' metrics , health' }).openEndpoints]).toEqual([
      'metrics',
      'health',
    ]);
    expect(() => load({ AUTH_JWT_SECRET: SECRET, AUTH_OPEN_ENDPOINTS: 'health,api' })).toThrow(
      /AUTH_OPEN_ENDPOINTS must list some of health, metrics, docs/,
    );
  });

  it('takes exactly one JWT key source', () => {
    expect(load({ AUTH_JWT_SECRET: SECRET, AUTH_JWT_ISSUER: 'https://idp/' }).jwt).toMatchObject({
      keySource: { kind: 'secret' },
      issuer: 'https://idp/',
      clockToleranceSeconds: 30,
      maxLifetimeSeconds: 86400,
    });
    expect(load({ AUTH_JWKS_URL: 'https://idp.example.com/jwks.json' }).jwt?.keySource).toMatchObject({ kind: 'jwks' });
    expect(() => load({ AUTH_JWT_SECRET: SECRET, AUTH_JWKS_URL: 'https://idp.example.com/jwks.json' })).toThrow(
      /AUTH_JWT_SECRET and AUTH_JWKS_URL are all set: configure one source of JWT keys/,
    );
    expect(() => load({ AUTH_JWKS_URL: 'ftp://idp.example.com/jwks' })).toThrow(
      /AUTH_JWKS_URL must be an http\(s\) URL/,
    );
  });

  it('caps the lifetime of a JWT at AUTH_JWT_MAX_LIFETIME_SECONDS, a day by default', () => {
    expect(load({ AUTH_JWT_SECRET: SECRET, AUTH_JWT_MAX_LIFETIME_SECONDS: '900' }).jwt?.maxLifetimeSeconds).toBe(900);
    for (const value of ['0', '59', 'forever']) {
      expect(() => load({ AUTH_JWT_SECRET: SECRET, AUTH_JWT_MAX_LIFETIME_SECONDS: value })).toThrow(
        /AUTH_JWT_MAX_LIFETIME_SECONDS must be an integer between 60 and 31536000/,
      );
    }
  });

  it('reads a PEM public key file now, and names a missing or unusable one', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = file('ec.pem', publicKey.export({ type: 'spki', format: 'pem' }).toString());
    expect(load({ AUTH_JWT_PUBLIC_KEY_FILE: pem }).jwt?.keySource).toMatchObject({ kind: 'public-key' });
    expect(() => load({ AUTH_JWT_PUBLIC_KEY_FILE: path.join(folder, 'missing.pem') })).toThrow(
      /AUTH_JWT_PUBLIC_KEY_FILE does not exist/,
    );
    expect(() => load({ AUTH_JWT_PUBLIC_KEY_FILE: file('junk.pem', 'not a key') })).toThrow(
      /AUTH_JWT_PUBLIC_KEY_FILE is not a PEM public key/,
    );
    const exchangeOnly = generateKeyPairSync('x25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(() => load({ AUTH_JWT_PUBLIC_KEY_FILE: file('x25519.pem', exchangeOnly) })).toThrow(
      /holds a x25519 key: use RSA, EC or Ed25519/,
    );
  });

  it('loads API keys as hashes and stops start-up on a bad keys file', () => {
    const good = file(
      'keys.json',
      JSON.stringify({ keys: [{ name: 'grafana', sha256: apiKeyHash('mwk_x'), scopes: ['read:data'] }] }),
    );
    expect(load({ AUTH_API_KEYS_FILE: good }).apiKeys).toEqual([
      { name: 'grafana', sha256: apiKeyHash('mwk_x'), scopes: ['read:data'] },
    ]);
    const badScope = file(
      'bad-scope.json',
      JSON.stringify({ keys: [{ name: 'x', sha256: apiKeyHash('k'), scopes: ['write:all'] }] }),
    );
    expect(() => load({ AUTH_API_KEYS_FILE: badScope })).toThrow(
      /AUTH_API_KEYS_FILE keys.0.scopes.0 must be one of read:data, read:assets, read:metrics/,
    );
    const clear = file(
      'clear.json',
      JSON.stringify({ keys: [{ name: 'x', sha256: 'mwk_plain', scopes: ['read:data'] }] }),
    );
    expect(() => load({ AUTH_API_KEYS_FILE: clear })).toThrow(/must be 64 lowercase hex digits/);
    expect(() => load({ AUTH_API_KEYS_FILE: file('broken.json', '{') })).toThrow(/is not JSON/);
  });

  it('never echoes a secret value in its error', () => {
    let caught: unknown;
    try {
      load({ AUTH_JWT_SECRET: 'hunter2' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidConfigError);
    expect(String(caught)).toContain('AUTH_JWT_SECRET must be at least 32 characters (value hidden)');
    expect(String(caught)).not.toContain('hunter2');
  });
});
