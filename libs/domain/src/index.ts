// The domain vocabulary both apps speak (series kind, bar interval and timeframe, decimal
// text, ISO-8601 instants), defined once. Pure values and functions: no Nest, no driver.
export {};
export { type DateOnlyMeans, FIRST_YEAR, LAST_YEAR, type ParsedIsoInstant, parseIsoInstant } from './iso-instant';
