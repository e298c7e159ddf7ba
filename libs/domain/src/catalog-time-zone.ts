import { DEFAULT_TIME_ZONE, isTimeZoneName } from './timeframe';

/**
 * The zone each known source's series keep their clock in, for catalog entries written
 * before entries carried `meta.timezone`: US equities (synthetic, Yahoo, Alpha Vantage,
 * Stooq) trade in New York; Binance and FRED count in UTC. New entries get the zone from
 * their provider at ingest.
 */
const LEGACY_SOURCE_TIME_ZONES: Readonly<Record<string, string>> = {
  synthetic: 'America/New_York',
  yahoo: 'America/New_York',
  alphavantage: 'America/New_York',
  stooq: 'America/New_York',
  binance: 'UTC',
  fred: 'UTC',
};

/**
 * A series' exchange time zone from its catalog meta: `meta.timezone` when it names an IANA
 * zone, else the default rule (by `meta.source`, UTC where unknown).
 */
export function catalogTimeZone(meta: Readonly<Record<string, string>>): string {
  const stated = meta.timezone;
  if (stated !== undefined && isTimeZoneName(stated)) return stated;
  const source = meta.source;
  if (source === undefined || !Object.hasOwn(LEGACY_SOURCE_TIME_ZONES, source)) return DEFAULT_TIME_ZONE;
  return LEGACY_SOURCE_TIME_ZONES[source] ?? DEFAULT_TIME_ZONE;
}

/** The catalog meta with `timezone` filled by catalogTimeZone where it is missing or not a zone. */
export function withCatalogTimeZone(meta: Readonly<Record<string, string>>): Record<string, string> {
  return { ...meta, timezone: catalogTimeZone(meta) };
}
