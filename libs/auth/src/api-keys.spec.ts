import { API_KEY_PREFIX, apiKeyHash, issueApiKeys, parseApiKeysFile } from './api-keys';

describe('issueApiKeys', () => {
  it('gives each client a new key and an entry that admits exactly that key with its scopes', () => {
    const { entries, keys } = issueApiKeys({ reader: ['read:data'], ops: ['read:metrics', 'read:assets'] });
    expect(Object.keys(keys)).toEqual(['reader', 'ops']);
    expect(keys.reader.startsWith(API_KEY_PREFIX)).toBe(true);
    expect(keys.reader).not.toBe(keys.ops);
    expect(entries).toEqual([
      { name: 'reader', sha256: apiKeyHash(keys.reader), scopes: ['read:data'] },
      { name: 'ops', sha256: apiKeyHash(keys.ops), scopes: ['read:metrics', 'read:assets'] },
    ]);
    // What it issues is a keys file the API accepts.
    expect(parseApiKeysFile(JSON.stringify({ keys: entries }))).toEqual(entries);
  });
});
