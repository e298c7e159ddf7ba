import Decimal from 'decimal.js';
import fc from 'fast-check';
import { type AggregatedBar, type BaseBar, aggregateBars, aggregateOfBar, foldAggregatedBars } from './bar-aggregation';
import { type ActionToApply, PriceAdjustment, exDateStartMs } from './price-adjustment';
import { nextTimeframeStartMs, parseTimeZone, timeframeStartMs } from './timeframe';

const NEW_YORK = parseTimeZone('America/New_York');
const NOW = Date.parse('2026-12-07T00:00:00Z');

const bar = (close: string, volume: number | null = null, extra: Partial<BaseBar> = {}) => ({
  open: null,
  high: null,
  low: null,
  close,
  volume,
  ...extra,
});

const at = (iso: string) => Date.parse(iso);

describe('PriceAdjustment: the known cases', () => {
  it("reads AAPL's 2020-08-28 close of 499.23 as 124.8075 after the 4-for-1 split of 2020-08-31", () => {
    const split: ActionToApply = { type: 'split', exDate: '2020-08-31', numerator: 4, denominator: 1 };
    const adjustment = PriceAdjustment.of([split], 'split', NOW, NEW_YORK);
    const before = adjustment.adjustBar(
      at('2020-08-28T04:00:00Z'),
      bar('499.23', 46907479, { open: '504.05', high: '505.77', low: '498.31' }),
    );
    expect(before).toEqual({
      open: '126.0125',
      high: '126.4425',
      low: '124.5775',
      close: '124.8075',
      volume: 187629916n,
      factor: '0.25',
    });
    // The ex-date itself trades post-split: untouched, digit for digit.
    expect(adjustment.adjustBar(at('2020-08-31T04:00:00Z'), bar('129.040', 225702700))).toEqual({
      ...bar('129.040', 225702700),
      volume: 225702700n,
      factor: '1',
    });
  });

  it("applies NVDA's 10-for-1 of 2024-06-10 from the ex-date's start in New York, not UTC", () => {
    const split: ActionToApply = { type: 'split', exDate: '2024-06-10', numerator: 10, denominator: 1 };
    const adjustment = PriceAdjustment.of([split], 'all', NOW, NEW_YORK);
    expect(exDateStartMs('2024-06-10', NEW_YORK)).toBe(at('2024-06-10T04:00:00Z'));
    expect(adjustment.adjustBar(at('2024-06-07T19:59:00Z'), bar('1208.88', 41238580))).toMatchObject({
      close: '120.888',
      volume: 412385800n,
      factor: '0.1',
    });
    expect(adjustment.adjustBar(at('2024-06-10T03:59:59.999Z'), bar('1208.88')).factor).toBe('0.1');
    expect(adjustment.adjustBar(at('2024-06-10T04:00:00Z'), bar('121.79')).factor).toBe('1');
  });

  it('rounds the fractional volume of a 3-for-2 split half-up once, and prices to 10 places', () => {
    const split: ActionToApply = { type: 'split', exDate: '2021-03-01', numerator: 3, denominator: 2 };
    const adjustment = PriceAdjustment.of([split], 'split', NOW, NEW_YORK);
    expect(adjustment.adjustBar(at('2021-02-26T21:00:00Z'), bar('100.01', 1001))).toEqual({
      ...bar('66.6733333333'),
      volume: 1502n, // 1501.5
      factor: '0.66666666666666666667',
    });
    expect(adjustment.adjustBar(at('2021-02-26T21:00:00Z'), bar('150.00', 1000)).close).toBe('100');
  });

  it('raises prices and lowers volume across a 1-for-10 reverse split', () => {
    const split: ActionToApply = { type: 'split', exDate: '2023-05-15', numerator: 1, denominator: 10 };
    const adjustment = PriceAdjustment.of([split], 'split', NOW, NEW_YORK);
    expect(adjustment.adjustBar(at('2023-05-12T20:00:00Z'), bar('0.5213', 1005))).toEqual({
      ...bar('5.213'),
      volume: 101n, // 100.5
      factor: '10',
    });
  });

  it("divides a dividend by the raw close before its ex-date, which need not be in the page's range", () => {
    // AAPL paid 0.82 ex 2020-08-07; its raw close of 2020-08-06 was 455.61.
    const dividend: ActionToApply = {
      type: 'dividend',
      exDate: '2020-08-07',
      amount: '0.82',
      currency: 'USD',
      referenceClose: '455.61',
    };
    const adjustment = PriceAdjustment.of([dividend], 'dividend', NOW, NEW_YORK);
    const factor = new Decimal(1).minus(new Decimal('0.82').dividedBy('455.61')).toSignificantDigits(20).toFixed();
    expect(factor).toBe('0.99820021509624459516');
    const adjusted = adjustment.adjustBar(at('2020-08-03T20:00:00Z'), bar('435.75', 77037800));
    expect(adjusted).toEqual({ ...bar('434.9657437282'), volume: 77037800n, factor });
    // A dividend with no stored bar before it adjusts nothing.
    const orphan = PriceAdjustment.of([{ ...dividend, referenceClose: null }], 'all', NOW, NEW_YORK);
    expect(orphan.adjustBar(at('2020-08-03T20:00:00Z'), bar('435.75')).factor).toBe('1');
  });

  it('compounds two actions of one day, the dividend on the post-split basis', () => {
    const day: ActionToApply[] = [
      { type: 'dividend', exDate: '2022-07-18', amount: '1', currency: 'USD', referenceClose: '400' },
      { type: 'split', exDate: '2022-07-18', numerator: 4, denominator: 1 },
    ];
    const adjustment = PriceAdjustment.of(day, 'all', NOW, NEW_YORK);
    // 1/4 × (1 − 1 / (400 / 4)) = 0.25 × 0.99
    expect(adjustment.adjustBar(at('2022-07-15T20:00:00Z'), bar('400', 10))).toEqual({
      ...bar('99'),
      volume: 40n,
      factor: '0.2475',
    });
    expect(PriceAdjustment.of(day, 'split', NOW, NEW_YORK).factorAt(at('2022-07-15T20:00:00Z'))).toBe('0.25');
    expect(PriceAdjustment.of(day, 'dividend', NOW, NEW_YORK).factorAt(at('2022-07-15T20:00:00Z'))).toBe('0.9975');
  });

  it('leaves out an action whose ex-date starts after adjustment_asof', () => {
    const split: ActionToApply = { type: 'split', exDate: '2020-08-31', numerator: 4, denominator: 1 };
    const asofBefore = PriceAdjustment.of([split], 'all', at('2020-08-30T23:59:59Z'), NEW_YORK);
    expect(asofBefore.isIdentity).toBe(true);
    expect(asofBefore.adjustBar(at('2020-08-28T04:00:00Z'), bar('499.23')).close).toBe('499.23');
    const asofOn = PriceAdjustment.of([split], 'all', at('2020-08-31T23:59:59.999Z'), NEW_YORK);
    expect(asofOn.adjustBar(at('2020-08-28T04:00:00Z'), bar('499.23')).close).toBe('124.8075');
  });

  it('compounds actions on different days for the bars before both', () => {
    const actions: ActionToApply[] = [
      { type: 'split', exDate: '2014-06-09', numerator: 7, denominator: 1 },
      { type: 'split', exDate: '2020-08-31', numerator: 4, denominator: 1 },
    ];
    const adjustment = PriceAdjustment.of(actions, 'split', NOW, NEW_YORK);
    expect(adjustment.adjustBar(at('2014-06-06T20:00:00Z'), bar('645.57', 1000))).toMatchObject({
      close: '23.0560714286',
      volume: 28000n,
      factor: '0.035714285714285714286',
    });
    expect(adjustment.factorAt(at('2019-01-02T20:00:00Z'))).toBe('0.25');
  });

  it('finishes an aggregated bar: one rounding of the exact volume, no factor when it spans an ex-date', () => {
    const split: ActionToApply = { type: 'split', exDate: '2021-03-03', numerator: 3, denominator: 2 };
    const adjustment = PriceAdjustment.of([split], 'split', NOW, NEW_YORK);
    const monday = at('2021-03-01T05:00:00Z');
    const pieces = [at('2021-03-01T20:00:00Z'), at('2021-03-02T20:00:00Z')].map((ts) =>
      adjustment.adjustPiece(aggregateOfBar({ ts, ...bar('10', 1) }), ts),
    );
    const days = foldAggregatedBars(monday, pieces) as AggregatedBar;
    // 1.5 + 1.5 = 3, where rounding each day first would give 2 + 2.
    expect(adjustment.finishBar({ ...days, end: at('2021-03-03T05:00:00Z') })).toMatchObject({
      volume: 3n,
      close: '6.6666666667',
      adjustmentFactor: '0.66666666666666666667',
    });
    expect(adjustment.finishBar({ ...days, end: at('2021-03-08T05:00:00Z') }).adjustmentFactor).toBeNull();
  });
});

const priceText = fc
  .tuple(fc.integer({ min: 0, max: 99999 }), fc.integer({ min: 0, max: 9999 }))
  .filter(([integer, fraction]) => integer + fraction > 0)
  .map(([integer, fraction]) => `${integer}.${String(fraction).padStart(4, '0')}`);
const exDate = fc
  .integer({ min: 0, max: 29 })
  .map((day) => new Date(Date.UTC(2024, 0, 1 + day)).toISOString().slice(0, 10));
const action: fc.Arbitrary<ActionToApply> = fc.oneof(
  fc.record({
    type: fc.constant('split' as const),
    exDate,
    numerator: fc.integer({ min: 1, max: 20 }),
    denominator: fc.integer({ min: 1, max: 20 }),
  }),
  fc.record({
    type: fc.constant('dividend' as const),
    exDate,
    amount: fc.constantFrom('0.01', '0.24', '1.5', '3'),
    currency: fc.constant('USD'),
    referenceClose: fc.option(priceText, { nil: null }),
  }),
);
const adjustmentKind = fc.constantFrom('split' as const, 'dividend' as const, 'all' as const);
/** A minute of January 2024. */
const minute = fc.integer({ min: 0, max: 31 * 24 * 60 - 1 }).map((index) => Date.UTC(2024, 0, 1) + index * 60_000);

describe('PriceAdjustment: properties', () => {
  it('multiplying an adjusted price back by its factor gives the raw price within the stated rounding', () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 6 }), adjustmentKind, minute, priceText, (actions, kind, ts, raw) => {
        const adjusted = PriceAdjustment.of(actions, kind, NOW, NEW_YORK).adjustBar(ts, bar(raw));
        const factor = new Decimal(adjusted.factor);
        expect(factor.isPositive()).toBe(true);
        // |adjusted − raw × factor| ≤ 0.5e-10, so |adjusted / factor − raw| ≤ 0.5e-10 / factor.
        const error = new Decimal(adjusted.close).dividedBy(factor).minus(raw).abs();
        expect(error.lessThanOrEqualTo(new Decimal('0.5e-10').dividedBy(factor))).toBe(true);
      }),
    );
  });

  it('a daily bar of adjusted pieces equals the aggregation of its adjusted minute bars', () => {
    const minuteBar = fc.record({
      ts: minute,
      close: priceText,
      volume: fc.option(fc.integer({ min: 0, max: 10 ** 9 })),
    });
    fc.assert(
      fc.property(
        fc.array(action, { maxLength: 5 }),
        adjustmentKind,
        fc.uniqueArray(minuteBar, { selector: (base) => base.ts, minLength: 1, maxLength: 60 }),
        (actions, kind, rows) => {
          const adjustment = PriceAdjustment.of(actions, kind, NOW, NEW_YORK);
          const bases = rows.map((row) => ({ ...bar(row.close, row.volume), ts: row.ts })).sort((a, b) => a.ts - b.ts);
          const days = new Map<number, typeof bases>();
          for (const base of bases) {
            const day = timeframeStartMs(base.ts, '1d', NEW_YORK);
            days.set(day, [...(days.get(day) ?? []), base]);
          }
          for (const [day, minutes] of days) {
            const end = nextTimeframeStartMs(day, '1d', NEW_YORK);
            const fromRollup = aggregateBars(day, minutes) as AggregatedBar;
            const rollupBar = adjustment.finishBar({ ...adjustment.adjustPiece(fromRollup, day), end });
            const pieces = minutes.map((base) => adjustment.adjustPiece(aggregateOfBar(base, day), base.ts));
            const fromMinutes = foldAggregatedBars(day, pieces) as AggregatedBar;
            expect(adjustment.finishBar({ ...fromMinutes, end })).toEqual(rollupBar);
            // The same prices as the minute bars read one by one, aggregated.
            const served = minutes.map((base) => adjustment.adjustBar(base.ts, base));
            expect(rollupBar.close).toBe(served.at(-1)?.close);
            const highest = served.reduce(
              (top, next) => (new Decimal(next.close).greaterThan(top) ? next.close : top),
              '0',
            );
            expect(new Decimal(rollupBar.high).equals(highest)).toBe(true);
          }
        },
      ),
    );
  });

  it('adjustment=raw is the identity', () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 6 }), minute, priceText, (actions, ts, raw) => {
        const adjustment = PriceAdjustment.of(actions, 'raw', NOW, NEW_YORK);
        expect(adjustment.isIdentity).toBe(true);
        expect(adjustment.adjustBar(ts, bar(raw, 7))).toEqual({ ...bar(raw), volume: 7n, factor: '1' });
      }),
    );
  });
});
