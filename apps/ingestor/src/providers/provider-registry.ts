import { Inject, Injectable } from '@nestjs/common';
import { AlphaVantageProvider } from './alphavantage/alphavantage.provider';
import { BinanceProvider } from './binance/binance.provider';
import { CsvProvider } from './csv/csv.provider';
import { FredProvider } from './fred/fred.provider';
import type { PriceProvider } from './price-provider.interface';
import type { ProviderSettings } from './provider-settings';
import { StooqProvider } from './stooq/stooq.provider';
import { SyntheticProvider } from './synthetic/synthetic.provider';
import { YahooProvider } from './yahoo/yahoo.provider';

export type { ProviderSettings } from './provider-settings';

/**
 * Every price provider by the name it writes as source_id. Adding a provider: its folder,
 * and one line here; price-providers.module.ts registers each with Nest and gathers them.
 */
export const PRICE_PROVIDER_TYPES = {
  synthetic: SyntheticProvider,
  yahoo: YahooProvider,
  binance: BinanceProvider,
  stooq: StooqProvider,
  fred: FredProvider,
  alphavantage: AlphaVantageProvider,
  csv: CsvProvider,
} as const satisfies Readonly<Record<string, new (settings: ProviderSettings) => PriceProvider>>;

export type ProviderName = keyof typeof PRICE_PROVIDER_TYPES;

/** Every provider name (= its source_id), in registry order. */
export const PROVIDER_NAMES = Object.keys(PRICE_PROVIDER_TYPES) as readonly ProviderName[];

/** The token of every provider instance, gathered by injection (ghostfolio's `DataProviderInterfaces`). */
export const PRICE_PROVIDERS = 'PriceProviders';

export class UnknownProviderError extends Error {
  override readonly name = 'UnknownProviderError';

  constructor(readonly requested: string) {
    super(`unknown provider "${requested}": known providers are ${PROVIDER_NAMES.join(', ')}`);
  }
}

export function isProviderName(name: string): name is ProviderName {
  return Object.hasOwn(PRICE_PROVIDER_TYPES, name);
}

/**
 * The providers by name, as Nest built them: one instance per provider for the whole
 * process, so each provider's token bucket paces every job that uses it.
 */
@Injectable()
export class ProviderRegistry {
  private readonly byName: ReadonlyMap<string, PriceProvider>;

  constructor(@Inject(PRICE_PROVIDERS) providers: readonly PriceProvider[]) {
    this.byName = new Map(providers.map((provider) => [provider.id, provider]));
  }

  /** The provider of that name; throws UnknownProviderError listing the known ones. */
  get(name: string): PriceProvider {
    const provider = isProviderName(name) ? this.byName.get(name) : undefined;
    if (provider === undefined) throw new UnknownProviderError(name);
    return provider;
  }
}
