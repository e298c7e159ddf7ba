import type { AppliedAdjustment } from '../adjusted-page';

/**
 * The rounding rule of adjusted reads, stated once (libs/domain/src/price-adjustment.ts
 * implements it); every OpenAPI text about adjustments points here.
 */
export const ADJUSTMENT_ROUNDING_RULE =
  "Rounding: a bar's adjustment_factor is the product of the applied actions' factors (split N-for-D: D/N; cash " +
  'dividend A: 1 − A/C, C the raw close of the last bar before the ex-date, on the post-split basis when a split ' +
  'shares the ex-date), computed to 100 significant digits and rounded half-up to 20 significant digits. Each price ' +
  'is the raw price × adjustment_factor rounded half-up to 10 decimal places (trailing zeros dropped; a factor of 1 ' +
  'leaves the price as stored). Volume is adjusted for splits only: raw × N/D, exact, rounded half-up to a whole ' +
  "number once per served bar; an aggregated bar (timeframe, daily rollup) rounds the exact sum of its base bars' " +
  'adjusted volumes, so it equals the aggregation of its adjusted base bars.';

/** Docs of the two query parameters. */
export const ADJUSTMENT_PARAMETER_DOCS = {
  adjustment: {
    default: 'raw',
    description:
      '`raw` (default): prices as stored, the response exactly as without this parameter. `split`, `dividend` or ' +
      "`all`: prices adjusted for the series' splits, cash dividends or both whose ex-date is after the bar (ex-dates " +
      "start at local midnight in the series' time zone), each item carrying `adjustment_factor`; the page's " +
      '`adjustment` field (PricePageDto) states the rounding rule.',
    example: 'all',
  },
  adjustment_asof: {
    description:
      'Adjusted reads only: apply only actions whose ex-date starts on or before this instant (ISO-8601; a date alone ' +
      'is the end of that UTC day), so a backtest can be reproduced. Default: now, fixed by the first page for the ' +
      'pages after it.',
    example: '2024-12-31',
  },
} as const;

/** Docs of the response fields. */
export const ADJUSTMENT_RESPONSE_DOCS = {
  factor: {
    description:
      "Adjusted reads only: the factor applied to this bar's prices (raw = price / factor, within the rounding the " +
      "page's `adjustment` field states); null for an aggregated bar an ex-date falls inside (its days carry " +
      'different factors).',
    example: '0.25',
  },
  adjustment: {
    description: `Adjusted reads only: the adjustment applied. ${ADJUSTMENT_ROUNDING_RULE}`,
    example: 'all',
  },
  asof: {
    description: 'Adjusted reads only: the as-of instant applied (pass it as adjustment_asof to reproduce the read)',
    example: '2026-12-07T00:00:00.000Z',
  },
} as const;

/** The page fields of an adjusted read; none for a raw one. */
export function adjustmentFieldsDto(applied: AppliedAdjustment | undefined): {
  adjustment?: string;
  adjustment_asof?: string;
} {
  return applied === undefined
    ? {}
    : { adjustment: applied.adjustment, adjustment_asof: new Date(applied.asof).toISOString() };
}
