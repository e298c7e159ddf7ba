import type { HttpProviderOptions } from './http/http-provider-options';

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

/**
 * The injection token of one provider's settings (`@Inject(providerSettings('yahoo'))` in its
 * constructor); the providers module fills each from the ingestor's config.
 */
export function providerSettings(providerId: string): string {
  return `price-provider-settings:${providerId}`;
}
