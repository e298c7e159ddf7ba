import fc from 'fast-check';
import {
  type AggregatedBar,
  AggregatedBarBuilder,
  type BaseBar,
  aggregateBars,
  foldAggregatedBars,
  mergeAggregatedBars,
} from './bar-aggregation';

/** An independent oracle: a plain decimal as an integer count of 10^-20. */
function scaled(text: string): bigint {
  const negative = text.startsWith('-');
  const [integerText = '0', fractionText = ''] = text.replace('-', '').split('.');
  const magnitude = BigInt(`${integerText}${fractionText.padEnd(20, '0')}`);
  return negative ? -magnitude : magnitude;
}

const digits = (minLength: number, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength, maxLength });
const decimal = fc
  .tuple(fc.boolean(), digits(1, 25), fc.option(digits(1, 20), { nil: undefined }))
  .map(
    ([negative, whole, fraction]) => `${negative ? '-' : ''}${whole}${fraction === undefined ? '' : `.${fraction}`}`,
  );
/** Random base bars over the given decimals and volumes. */
const barsOf = (prices: fc.Arbitrary<string>, volumes: fc.Arbitrary<number | bigint>): fc.Arbitrary<BaseBar> =>
  fc.record({
    ts: fc.integer({ min: 0, max: 2_000_000_000_000 }),
    open: fc.option(prices),
    high: fc.option(prices),
    low: fc.option(prices),
    close: prices,
    volume: fc.option(volumes),
  });
const baseBar = barsOf(decimal, fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }));

describe('bar aggregation', () => {
  it('takes the first open, the highest high, the lowest low, the last close and sums volumes', () => {
    const bars: BaseBar[] = [
      { ts: 1, open: '10.5', high: '11', low: '10', close: '10.75', volume: 100 },
      { ts: 2, open: null, high: null, low: null, close: '12.000000000000000001', volume: null },
      { ts: 3, open: '9', high: '9.5', low: '8.99', close: '9.25', volume: Number.MAX_SAFE_INTEGER },
    ];
    expect(aggregateBars(0, bars)).toEqual({
      ts: 0,
      open: '10.5',
      high: '12.000000000000000001',
      low: '8.99',
      close: '9.25',
      volume: BigInt(Number.MAX_SAFE_INTEGER) + 100n,
      barCount: 3,
    });
  });

  it("uses the first bar's close where its open is null, and a null volume when every volume is null", () => {
    const bars: BaseBar[] = [
      { ts: 1, open: null, high: null, low: null, close: '3', volume: null },
      { ts: 2, open: null, high: null, low: null, close: '-1.5', volume: null },
    ];
    expect(aggregateBars(7, bars)).toEqual({
      ts: 7,
      open: '3',
      high: '3',
      low: '-1.5',
      close: '-1.5',
      volume: null,
      barCount: 2,
    });
    expect(aggregateBars(7, [])).toBeNull();
  });

  it('matches an independent BigInt oracle on random bars', () => {
    fc.assert(
      fc.property(fc.array(baseBar, { minLength: 1, maxLength: 30 }), (bars) => {
        const result = aggregateBars(42, bars);
        const highs = bars.map((bar) => scaled(bar.high ?? bar.close));
        const lows = bars.map((bar) => scaled(bar.low ?? bar.close));
        const volumes = bars.flatMap((bar) => (bar.volume === null ? [] : [BigInt(bar.volume)]));
        expect(result).not.toBeNull();
        if (result === null) return;
        expect(result.ts).toBe(42);
        expect(result.open).toBe(bars[0]?.open ?? bars[0]?.close);
        expect(result.close).toBe(bars.at(-1)?.close);
        expect(scaled(result.high)).toBe(highs.reduce((a, b) => (b > a ? b : a)));
        expect(scaled(result.low)).toBe(lows.reduce((a, b) => (b < a ? b : a)));
        expect(result.volume).toBe(volumes.length === 0 ? null : volumes.reduce((a, b) => a + b, 0n));
        expect(result.barCount).toBe(bars.length);
      }),
    );
  });

  it('folds partial aggregates into the same bar as aggregating the base bars at once (weeks from days)', () => {
    fc.assert(
      fc.property(
        fc.array(baseBar, { minLength: 1, maxLength: 30 }),
        fc.array(fc.integer({ min: 1, max: 29 }), { maxLength: 5 }),
        (bars, cutPoints) => {
          const cuts = [...new Set(cutPoints.filter((cut) => cut < bars.length))].sort((a, b) => a - b);
          const pieces: AggregatedBar[] = [];
          let begin = 0;
          for (const cut of [...cuts, bars.length]) {
            const piece = aggregateBars(bars[begin]?.ts ?? 0, bars.slice(begin, cut));
            if (piece !== null) pieces.push(piece);
            begin = cut;
          }
          expect(foldAggregatedBars(9, pieces)).toEqual(aggregateBars(9, bars));
        },
      ),
    );
  });

  it('builds in place, oldest first or newest first, exactly what aggregateBars builds (ties keep the earlier spelling)', () => {
    // Few distinct values, so ties between spellings ("1.5" and "1.50") come up often.
    const tied = fc.constantFrom('1.5', '1.50', '2', '2.0', '-1', '0.25', '0.250');
    const tiedBar = barsOf(
      tied,
      fc.oneof(fc.integer({ min: 0, max: 2 ** 53 - 1 }), fc.bigInt({ min: 0n, max: 2n ** 64n })),
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(baseBar, tiedBar), { minLength: 1, maxLength: 30 }), (bars) => {
        const [first, ...rest] = bars;
        if (first === undefined) return;
        const oldestFirst = new AggregatedBarBuilder(7, first);
        for (const bar of rest) oldestFirst.addLater(bar);
        expect(oldestFirst.build()).toEqual(aggregateBars(7, bars));
        const reversed = [...bars].reverse();
        const [last, ...earlier] = reversed;
        if (last === undefined) return;
        const newestFirst = new AggregatedBarBuilder(7, last);
        for (const bar of earlier) newestFirst.addEarlier(bar);
        expect(newestFirst.build()).toEqual(aggregateBars(7, bars));
      }),
      { numRuns: 2000 },
    );
  });

  it('merges two aggregates keeping the earlier start and adding counts', () => {
    const earlier: AggregatedBar = { ts: 1, open: '1', high: '2', low: '0.5', close: '1.5', volume: null, barCount: 3 };
    const later: AggregatedBar = {
      ts: 5,
      open: '1.5',
      high: '1.9',
      low: '0.4',
      close: '1.7',
      volume: 10n,
      barCount: 2,
    };
    expect(mergeAggregatedBars(earlier, later)).toEqual({
      ts: 1,
      open: '1',
      high: '2',
      low: '0.4',
      close: '1.7',
      volume: 10n,
      barCount: 5,
    });
    expect(foldAggregatedBars(0, [])).toBeNull();
  });
});
