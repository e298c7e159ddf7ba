import { ConfigModule, registerAs } from '@nestjs/config';
import { Test, type TestingModule } from '@nestjs/testing';
import { loadIngestorConfig } from '../config/ingestor.config';
import type { FetchRequest, PriceProvider, ProviderBar } from './price-provider.interface';
import { PriceProvidersModule } from './price-providers.module';
import { PRICE_PROVIDER_TYPES, PROVIDER_NAMES, ProviderRegistry, UnknownProviderError } from './provider-registry';
import { SyntheticProvider } from './synthetic/synthetic.provider';
import { YahooProvider } from './yahoo/yahoo.provider';

/** The providers module as the ingestor builds it, over a config read from `env`. */
function providersModule(env: Record<string, string> = {}) {
  const config = loadIngestorConfig(env);
  return Test.createTestingModule({
    imports: [
      ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [registerAs('ingestor', () => config)] }),
      PriceProvidersModule,
    ],
  });
}

describe('provider registry', () => {
  let moduleRef: TestingModule;

  afterEach(async () => {
    await moduleRef.close();
  });

  it('builds every provider through Nest and knows each by the name it writes as source_id', async () => {
    moduleRef = await providersModule().compile();
    const registry = moduleRef.get(ProviderRegistry);
    expect(PROVIDER_NAMES).toEqual(['synthetic', 'yahoo', 'binance', 'stooq', 'fred', 'alphavantage', 'csv']);
    for (const name of PROVIDER_NAMES) {
      expect(registry.get(name).id).toBe(name);
      // One instance per provider for the process: the registry's is the one Nest built.
      expect(registry.get(name)).toBe(moduleRef.get(PRICE_PROVIDER_TYPES[name]));
    }
  });

  it('rejects an unknown name with an error listing the known ones', async () => {
    moduleRef = await providersModule().compile();
    const registry = moduleRef.get(ProviderRegistry);
    expect(() => registry.get('bloomberg')).toThrow(UnknownProviderError);
    expect(() => registry.get('bloomberg')).toThrow(
      'unknown provider "bloomberg": known providers are synthetic, yahoo, binance, stooq, fred, alphavantage, csv',
    );
    expect(() => registry.get('toString')).toThrow(UnknownProviderError);
  });

  it("hands each provider its settings from the ingestor's config: base URL, seed", async () => {
    moduleRef = await providersModule({ YAHOO_BASE_URL: 'http://127.0.0.1:9', SYNTHETIC_SEED: 'demo' }).compile();
    const registry = moduleRef.get(ProviderRegistry);
    expect(registry.get('yahoo').url).toBe('http://127.0.0.1:9');
    expect(registry.get('yahoo').rateLimit).toEqual({ requestsPerSecond: 2, burst: 5 });
    expect(registry.get('synthetic').url).toBe('synthetic://random-walk?seed=demo');
  });

  it('lets a test swap one provider, the others staying as built', async () => {
    const bars: ProviderBar[] = [{ ts: new Date(0), open: null, high: null, low: null, close: '1.00', volume: null }];
    const fake: PriceProvider = {
      id: 'yahoo',
      name: 'fake yahoo',
      url: 'fake:',
      intervals: ['1d'],
      rateLimit: { requestsPerSecond: 1, burst: 1 },
      fetchBars: (_request: FetchRequest) => Promise.resolve(bars),
    };
    moduleRef = await providersModule().overrideProvider(YahooProvider).useValue(fake).compile();
    const registry = moduleRef.get(ProviderRegistry);
    expect(registry.get('yahoo')).toBe(fake);
    expect(registry.get('synthetic')).toBeInstanceOf(SyntheticProvider);
  });
});
