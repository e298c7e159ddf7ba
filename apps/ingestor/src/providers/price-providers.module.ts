import { Module, type Provider } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ingestorConfig } from '../config/ingestor.config';
import type { PriceProvider } from './price-provider.interface';
import { PRICE_PROVIDERS, PRICE_PROVIDER_TYPES, PROVIDER_NAMES, ProviderRegistry } from './provider-registry';
import { providerSettings } from './provider-settings';

const PROVIDER_TYPES = Object.values(PRICE_PROVIDER_TYPES);

/** Each provider's settings, from the ingestor's config. */
const SETTINGS: Provider[] = PROVIDER_NAMES.map((name) => ({
  provide: providerSettings(name),
  inject: [ingestorConfig.KEY],
  useFactory: (config: ConfigType<typeof ingestorConfig>) => config.providers[name] ?? {},
}));

/**
 * The price providers as Nest providers: each an @Injectable built from its settings,
 * gathered into one list by a factory (ghostfolio's DataProviderInterfaces), so a test
 * swaps one with `overrideProvider(YahooProvider)`.
 */
@Module({
  providers: [
    ...SETTINGS,
    ...PROVIDER_TYPES,
    { provide: PRICE_PROVIDERS, inject: PROVIDER_TYPES, useFactory: (...providers: PriceProvider[]) => providers },
    ProviderRegistry,
  ],
  exports: [ProviderRegistry],
})
export class PriceProvidersModule {}
