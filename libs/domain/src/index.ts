// The domain vocabulary both apps speak (series kind, bar interval and timeframe, decimal
// text, ISO-8601 instants), defined once. Pure values and functions: no Nest, no driver.
export { SERIES_KINDS, type SeriesKind, isSeriesKind } from './series-kind';
export {
  BAR_INTERVALS,
  type BarInterval,
  type BarIntervalUnit,
  type BarIntervalWidth,
  barIntervalMs,
  barIntervalWidth,
  barStartMs,
  describeBarInterval,
  isBarInterval,
  parseBarInterval,
} from './bar-interval';
export {
  DECIMAL_TEXT_LIMITS,
  type ShortDecimal,
  compareDecimals,
  comparePlainDecimals,
  isDecimalText,
  isPlainDecimal,
  normaliseDecimalText,
  plainDecimalFromNumber,
  roundHalfUp,
  scanShortDecimal,
  toPlainDecimal,
} from './decimal-text';
export { type DateOnlyMeans, FIRST_YEAR, LAST_YEAR, type ParsedIsoInstant, parseIsoInstant } from './iso-instant';
export {
  DEFAULT_TIME_ZONE,
  TIMEFRAMES,
  TIMEFRAME_SPELLINGS,
  type Timeframe,
  type TimeZone,
  UnknownTimeZoneError,
  compareTimeframes,
  isFinerThan,
  isTimeZoneName,
  nextTimeframeStartMs,
  parseTimeZone,
  parseTimeframe,
  timeframeMinutes,
  timeframeOfInterval,
  timeframeStartMs,
} from './timeframe';
export {
  type AggregatedBar,
  AggregatedBarBuilder,
  type BaseBar,
  aggregateBars,
  aggregateOfBar,
  foldAggregatedBars,
  mergeAggregatedBars,
} from './bar-aggregation';
export { catalogTimeZone, withCatalogTimeZone } from './catalog-time-zone';
export {
  EXCHANGE_CALENDARS,
  type ExchangeCalendar,
  type TradingSession,
  catalogCalendar,
  expectedBarStarts,
  isExchangeCalendar,
  tradingSession,
  tradingSessionsBetween,
} from './exchange-calendar';
export {
  CORPORATE_ACTION_TYPES,
  type CorporateAction,
  type CorporateActionKey,
  type CorporateActionType,
  type DividendTerms,
  type ExDate,
  MAX_SPLIT_TERM,
  type SplitTerms,
  type StoredCorporateAction,
  IMPORTED_ACTIONS_SOURCE,
  corporateActionProblem,
  effectiveActions,
  isExDate,
} from './corporate-action';
export {
  ADJUSTMENTS,
  ADJUSTMENT_ROUNDING,
  type ActionToApply,
  type AdjustedValues,
  type Adjustment,
  PriceAdjustment,
  exDateStartMs,
  isAdjustment,
} from './price-adjustment';
