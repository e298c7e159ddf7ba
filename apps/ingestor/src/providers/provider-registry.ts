import { AlphaVantageProvider } from './alphavantage/alphavantage.provider';
import { BinanceProvider } from './binance/binance.provider';
import { CsvProvider } from './csv/csv.provider';
import { FredProvider } from './fred/fred.provider';
import type { HttpProviderOptions } from './http/http-provider-options';
import type { PriceProvider } from './price-provider.interface';
import { StooqProvider } from './stooq/stooq.provider';
import { SyntheticProvider } from './synthetic/synthetic.provider';
import { YahooProvider } from './yahoo/yahoo.provider';

/** Everything any provider may be configured with; each takes what concerns it. */
export interface ProviderSettings extends HttpProviderOptions {
  readonly apiKey?: string;
  /** yahoo: where its session cookie comes from */
  readonly sessionUrl?: string;
  /** synthetic */
  readonly seed?: string;
  readonly basePrices?: Readonly<Record<string, number>>;
  /** csv */
  readonly directory?: string;
}

type ProviderFactory = (settings: ProviderSettings) => PriceProvider;

/** Adding a provider: its folder, and one line here. */
const PROVIDER_FACTORIES = {
  synthetic: (settings) => new SyntheticProvider(settings),
  yahoo: (settings) => new YahooProvider(settings),
  binance: (settings) => new BinanceProvider(settings),
  stooq: (settings) => new StooqProvider(settings),
  fred: (settings) => new FredProvider(settings),
  alphavantage: (settings) => new AlphaVantageProvider({ ...settings, apiKey: settings.apiKey ?? '' }),
  csv: (settings) => new CsvProvider(settings),
} satisfies Record<string, ProviderFactory>;

export type ProviderName = keyof typeof PROVIDER_FACTORIES;

/** Every provider name (= its source_id), in registry order. */
export const PROVIDER_NAMES = Object.keys(PROVIDER_FACTORIES) as readonly ProviderName[];

export class UnknownProviderError extends Error {
  override readonly name = 'UnknownProviderError';

  constructor(readonly requested: string) {
    super(`unknown provider "${requested}": known providers are ${PROVIDER_NAMES.join(', ')}`);
  }
}

export function isProviderName(name: string): name is ProviderName {
  return Object.hasOwn(PROVIDER_FACTORIES, name);
}

/** A new provider by name; throws UnknownProviderError listing the known ones. */
export function createProvider(name: string, settings: ProviderSettings = {}): PriceProvider {
  if (!isProviderName(name)) throw new UnknownProviderError(name);
  return PROVIDER_FACTORIES[name](settings);
}

/**
 * One instance per provider for the whole process, built on first use, so each provider's
 * token bucket paces every job that uses it.
 */
export class ProviderRegistry {
  private readonly instances = new Map<ProviderName, PriceProvider>();

  constructor(private readonly settings: Readonly<Partial<Record<ProviderName, ProviderSettings>>> = {}) {}

  get(name: string): PriceProvider {
    if (!isProviderName(name)) throw new UnknownProviderError(name);
    let provider = this.instances.get(name);
    if (provider === undefined) {
      provider = createProvider(name, this.settings[name] ?? {});
      this.instances.set(name, provider);
    }
    return provider;
  }
}
