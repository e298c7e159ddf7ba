import Decimal from 'decimal.js';
import { z } from 'zod';
import { plainDecimalFromNumber } from '@market/domain';
import { isKnownTimeZone, toLocalDateTime } from '../../normalisation/zoned-time';
import type { ProviderAction } from '../price-provider.interface';
import { ProviderPayloadError, type ProviderErrorScope } from '../provider-errors';
import { readWithSchema } from '../provider-payload';

const eventsSchema = z.object({
  chart: z.object({
    result: z
      .array(
        z.object({
          meta: z.object({ currency: z.string().optional(), exchangeTimezoneName: z.string().optional() }),
          events: z
            .object({
              dividends: z.record(z.string(), z.object({ amount: z.number(), date: z.number().int() })).optional(),
              splits: z
                .record(
                  z.string(),
                  z.object({ date: z.number().int(), numerator: z.number(), denominator: z.number() }),
                )
                .optional(),
            })
            .optional(),
        }),
      )
      .nullable(),
    error: z.object({ code: z.string(), description: z.string() }).nullable(),
  }),
});

/** Digits kept when a dividend is restored to its paid amount (Yahoo's floats have fewer). */
const AMOUNT_DECIMALS = 10;

/**
 * The splits and dividends of a Yahoo v8 chart response asked with `events=div,splits`.
 * `date` is the ex-date's session open: its date in the exchange's zone is the ex-date.
 * Yahoo reports dividend amounts adjusted for the splits after them (AAPL's 0.82 of
 * 2020-08-07 comes as 0.205 after the 4-for-1 of 2020-08-31); each is restored to the amount
 * paid with the later splits of the same response, so ask for a window reaching today.
 */
export function parseYahooEvents(body: unknown, scope: ProviderErrorScope): ProviderAction[] {
  const { chart } = readWithSchema(eventsSchema, body, scope, 'Yahoo chart response');
  if (chart.error !== null) {
    throw new ProviderPayloadError(
      scope,
      `Yahoo refused the request (${chart.error.code}: ${chart.error.description})`,
    );
  }
  const result = chart.result?.[0];
  if (result === undefined) return [];
  const zone = result.meta.exchangeTimezoneName;
  const exchangeZone = zone !== undefined && isKnownTimeZone(zone) ? zone : 'UTC';
  const exDate = (seconds: number): string => {
    const local = toLocalDateTime(new Date(seconds * 1000), exchangeZone);
    return `${local.year}-${String(local.month).padStart(2, '0')}-${String(local.day).padStart(2, '0')}`;
  };
  const splits = Object.values(result.events?.splits ?? {}).map((split) => ({
    type: 'split' as const,
    exDate: exDate(split.date),
    numerator: split.numerator,
    denominator: split.denominator,
  }));
  const dividends = Object.values(result.events?.dividends ?? {}).map((dividend): ProviderAction => {
    const date = exDate(dividend.date);
    const reported = plainDecimalFromNumber(dividend.amount);
    if (reported === null) throw new ProviderPayloadError(scope, `Yahoo dividend of ${date} has no amount`);
    const paid = splits
      .filter((split) => split.exDate > date)
      .reduce((amount, split) => amount.times(split.numerator).dividedBy(split.denominator), new Decimal(reported));
    return {
      type: 'dividend',
      exDate: date,
      amount: paid.toDecimalPlaces(AMOUNT_DECIMALS, Decimal.ROUND_HALF_UP).toFixed(),
      currency: result.meta.currency ?? 'USD',
    };
  });
  return [...splits, ...dividends].sort((left, right) => left.exDate.localeCompare(right.exDate));
}
