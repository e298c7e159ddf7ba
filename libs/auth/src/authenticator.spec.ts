import { SignJWT } from 'jose';
import { apiKeyHash, generateApiKey, parseApiKeysFile } from './api-keys';
import { AuthenticationError } from './auth-errors';
import { Authenticator } from './authenticator';
import { scopesOf } from './jwt-verifier';

const secret = new TextEncoder().encode('k'.repeat(32));
const key = generateApiKey();
const authenticator = new Authenticator({
  jwt: { keySource: { kind: 'secret', secret }, clockToleranceSeconds: 0, maxLifetimeSeconds: 3600 },
  apiKeys: [{ name: 'grafana', sha256: apiKeyHash(key), scopes: ['read:data'] }],
});

describe('Authenticator', () => {
  it('finds no caller in a request without credentials', async () => {
    await expect(authenticator.authenticate({})).resolves.toBeNull();
  });

  it('knows an API key by its hash and names the caller, never the key', async () => {
    const principal = await authenticator.authenticate({ 'x-api-key': key });
    expect(principal).toEqual({ id: 'api-key:grafana', scopes: new Set(['read:data']) });
    expect(JSON.stringify([...(principal?.scopes ?? []), principal?.id])).not.toContain(key);
    await expect(authenticator.authenticate({ 'x-api-key': `${key}x` })).rejects.toThrow(AuthenticationError);
    // Node joins a repeated header: two keys are no key.
    await expect(authenticator.authenticate({ 'x-api-key': [key, key] })).rejects.toThrow(/not valid/);
  });

  it('verifies a bearer JWT and reads its subject', async () => {
    const token = await new SignJWT({ sub: 'svc', scope: 'read:assets' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('1m')
      .sign(secret);
    await expect(authenticator.authenticate({ authorization: `Bearer ${token}` })).resolves.toEqual({
      id: 'jwt:svc',
      scopes: new Set(['read:assets']),
    });
  });

  it('refuses a signed JWT without exp: it would be valid forever', async () => {
    const token = await new SignJWT({ sub: 'svc', scope: 'read:assets' })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(secret);
    const refusal = authenticator.authenticate({ authorization: `Bearer ${token}` });
    await expect(refusal).rejects.toThrow(AuthenticationError);
    await expect(refusal).rejects.toThrow('the bearer token has no "exp" claim: only tokens that expire are accepted');
  });

  it('refuses a JWT that expires further ahead than the maximum lifetime, and accepts one just within it', async () => {
    const expiringIn = (seconds: number) =>
      new SignJWT({ sub: 'svc' })
        .setProtectedHeader({ alg: 'HS256' })
        .setExpirationTime(Math.floor(Date.now() / 1000) + seconds)
        .sign(secret);
    await expect(
      authenticator.authenticate({ authorization: `Bearer ${await expiringIn(3600 + 60)}` }),
    ).rejects.toThrow('the bearer token expires more than 3600 s from now');
    await expect(
      authenticator.authenticate({ authorization: `Bearer ${await expiringIn(10 * 365 * 86400)}` }),
    ).rejects.toThrow(AuthenticationError);
    await expect(
      authenticator.authenticate({ authorization: `Bearer ${await expiringIn(3600 - 5)}` }),
    ).resolves.toMatchObject({ id: 'jwt:svc' });
  });

  it('reads scopes from `scope` and `scp`, ignoring what is not a string', () => {
    expect(scopesOf({ scope: 'read:data  read:assets' })).toEqual(new Set(['read:data', 'read:assets']));
    expect(scopesOf({ scp: ['read:metrics', 7, null] })).toEqual(new Set(['read:metrics']));
    expect(scopesOf({ scope: 42 })).toEqual(new Set());
  });

  it('generates distinct 256-bit keys with a recognisable prefix', () => {
    const keys = new Set(Array.from({ length: 100 }, generateApiKey));
    expect(keys.size).toBe(100);
    for (const generated of keys) expect(generated).toMatch(/^mwk_[A-Za-z0-9_-]{43}$/);
  });

  it('refuses a keys file that lists a key twice', () => {
    const entry = { name: 'a', sha256: apiKeyHash('x'), scopes: ['read:data'] };
    expect(() => parseApiKeysFile(JSON.stringify({ keys: [entry, { ...entry, name: 'b' }] }))).toThrow(/listed twice/);
  });
});
