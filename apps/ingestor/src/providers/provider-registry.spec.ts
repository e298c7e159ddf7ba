import { PROVIDER_NAMES, ProviderRegistry, UnknownProviderError, createProvider } from './provider-registry';

describe('provider registry', () => {
  it('knows every provider by the name it writes as source_id', () => {
    expect(PROVIDER_NAMES).toEqual(['synthetic', 'yahoo', 'binance', 'stooq', 'fred', 'alphavantage', 'csv']);
    for (const name of PROVIDER_NAMES) {
      expect(createProvider(name, { apiKey: 'key' }).id).toBe(name);
    }
  });

  it('rejects an unknown name with an error listing the known ones', () => {
    expect(() => createProvider('bloomberg')).toThrow(UnknownProviderError);
    expect(() => createProvider('bloomberg')).toThrow(
      'unknown provider "bloomberg": known providers are synthetic, yahoo, binance, stooq, fred, alphavantage, csv',
    );
    expect(() => createProvider('toString')).toThrow(UnknownProviderError);
  });

  it('passes settings through: base URL, rate limit, seed', () => {
    const yahoo = createProvider('yahoo', {
      baseUrl: 'http://127.0.0.1:9',
      rateLimit: { requestsPerSecond: 3, burst: 4 },
    });
    expect(yahoo.url).toBe('http://127.0.0.1:9');
    expect(yahoo.rateLimit).toEqual({ requestsPerSecond: 3, burst: 4 });
    expect(createProvider('synthetic', { seed: 'demo' }).url).toBe('synthetic://random-walk?seed=demo');
  });

  it('refuses to build Alpha Vantage without an API key', () => {
    expect(() => createProvider('alphavantage')).toThrow('alphavantage: an API key is required');
  });

  it('hands out one instance per provider, so its rate limit covers every job', () => {
    const registry = new ProviderRegistry({ synthetic: { seed: 'x' } });
    expect(registry.get('synthetic')).toBe(registry.get('synthetic'));
    expect(registry.get('synthetic').url).toBe('synthetic://random-walk?seed=x');
    expect(() => registry.get('nope')).toThrow('unknown provider "nope"');
  });
});
