import fc from 'fast-check';
import type { ProviderBar } from './provider-bar';
import { type RejectReason, validateBars } from './bar-validator';

const NOW = new Date('2025-08-01T16:00:00Z');
const T0 = Date.parse('2025-08-01T13:30:00Z');

function bar(minute: number, fields: Partial<Omit<ProviderBar, 'ts'>> = {}): ProviderBar {
  return {
    ts: new Date(T0 + minute * 60_000),
    open: '189.10',
    high: '189.50',
    low: '188.90',
    close: '189.20',
    volume: '1200',
    ...fields,
  };
}

function reasonOf(input: ProviderBar): RejectReason | 'accepted' {
  const { accepted, rejected } = validateBars([input], NOW);
  return accepted.length === 1 ? 'accepted' : (rejected[0]?.reason ?? 'accepted');
}

describe('validateBars', () => {
  it('accepts a clean bar with its decimals untouched and its volume as a number', () => {
    const { accepted, rejected } = validateBars([bar(0, { close: '189.20000' })], NOW);
    expect(rejected).toEqual([]);
    expect(accepted).toEqual([
      { ts: new Date(T0), open: '189.10', high: '189.50', low: '188.90', price: '189.20000', volume: 1200 },
    ]);
  });

  it('accepts a single-value bar with open, high, low and volume absent', () => {
    const single = bar(0, { open: null, high: null, low: null, volume: null, close: '67.91' });
    expect(validateBars([single], NOW).accepted).toEqual([
      { ts: new Date(T0), open: null, high: null, low: null, price: '67.91', volume: null },
    ]);
  });

  it.each<[string, Partial<ProviderBar>, RejectReason]>([
    ['a null close', { close: null }, 'missing_close'],
    ['a NaN close', { close: 'NaN' }, 'not_a_number'],
    ['an exponent the adapter failed to expand', { low: '1e-7' }, 'not_a_number'],
    ['an empty open', { open: '' }, 'not_a_number'],
    ['more fraction digits than the store holds', { close: '189.123456789012345678901' }, 'not_a_number'],
    ['a non-numeric volume', { volume: '12k' }, 'not_a_number'],
    ['an invalid ts', { ts: new Date(Number.NaN) }, 'not_a_number'],
    ['a zero close', { close: '0.00', low: null, open: null }, 'non_positive_price'],
    ['a negative low', { low: '-1' }, 'non_positive_price'],
    ['a negative volume', { volume: '-5' }, 'negative_volume'],
    ['a volume above 2^53', { volume: '9007199254740992' }, 'volume_out_of_range'],
    ['a fractional volume rounding above 2^53', { volume: '9007199254740991.5' }, 'volume_out_of_range'],
    ['low above high', { low: '189.60', open: null, close: '189.55' }, 'ohlc_inconsistent'],
    ['a close above high', { close: '189.51' }, 'ohlc_inconsistent'],
    ['an open below low', { open: '188.89' }, 'ohlc_inconsistent'],
    ['a close below low with high absent', { high: null, close: '188.00' }, 'ohlc_inconsistent'],
    ['a ts after now', { ts: new Date(NOW.getTime() + 1) }, 'future_ts'],
  ])('rejects %s', (_what, fields, reason) => {
    const input = { ...bar(0), ...fields };
    expect(reasonOf(input)).toBe(reason);
  });

  it('accepts the boundaries: close equal to high and low, ts equal to now, volume 2^53 - 1', () => {
    expect(reasonOf(bar(0, { close: '189.50', open: '188.90' }))).toBe('accepted');
    expect(reasonOf({ ...bar(0), ts: NOW })).toBe('accepted');
    expect(reasonOf(bar(0, { volume: '9007199254740991' }))).toBe('accepted');
  });

  it('compares prices exactly, where floats would call them equal', () => {
    const high = '100.000000000000000001';
    expect(reasonOf(bar(0, { open: '100', low: '100', high: '100', close: '100.000000000000000001' }))).toBe(
      'ohlc_inconsistent',
    );
    expect(reasonOf(bar(0, { open: '100', low: '100', high, close: high }))).toBe('accepted');
  });

  it('rounds a fractional crypto volume half-up to whole units', () => {
    const volumes = ['12.49999999', '12.5', '0.4', '0'].map((volume) => bar(0, { volume }));
    const accepted = volumes.map((input) => validateBars([input], NOW).accepted[0]?.volume);
    expect(accepted).toEqual([12, 13, 0, 0]);
  });

  it('lets a future bar through within the configured tolerance only', () => {
    const early = { ...bar(0), ts: new Date(NOW.getTime() + 500) };
    expect(validateBars([early], NOW, { futureToleranceMs: 1000 }).accepted).toHaveLength(1);
    expect(validateBars([early], NOW, { futureToleranceMs: 100 }).rejected[0]?.reason).toBe('future_ts');
  });

  it('keeps the first of duplicate timestamps and rejects the rest', () => {
    const first = bar(0, { close: '189.20' });
    const second = bar(0, { close: '189.30' });
    const { accepted, rejected } = validateBars([first, bar(1), second], NOW);
    expect(accepted.map((valid) => valid.price)).toEqual(['189.20', '189.20']);
    expect(rejected).toEqual([{ bar: second, reason: 'duplicate_ts' }]);
  });

  it('does not let a broken first copy shadow a good duplicate', () => {
    const broken = bar(0, { close: null });
    const good = bar(0);
    const { accepted, rejected } = validateBars([broken, good], NOW);
    expect(accepted).toHaveLength(1);
    expect(rejected).toEqual([{ bar: broken, reason: 'missing_close' }]);
  });

  describe('on arbitrary batches', () => {
    const decimalish = fc.oneof(
      fc.constantFrom('189.10', '189.50', '188.90', '189.20', '0', '0.00', '-1.5', '1e-7', 'NaN', '', '100.0001'),
      fc.integer({ min: 1, max: 30000 }).map((cents) => (cents / 100).toFixed(2)),
      // Around the 15-character edge of the validator's fast path, either side of it and
      // across it: near-equal values, the same value spelled at several scales, and text
      // too long for a double to tell apart from its neighbours.
      fc.constantFrom(
        '189.1',
        '189.1000000000',
        '189.10000000000',
        '189.100000000000',
        '189.1000000000001',
        '189.0999999999999',
        '189.09999999999999999',
        '99999999999999.9',
        '100000000000000',
        '0.0000000000001',
        '0.00000000000000000001',
        '0.000000000000000000001',
        '-0',
        '-0.000000000000001',
        '00189.10',
        '189.',
        '.5',
        '+189.10',
        '1'.repeat(41),
      ),
    );
    const volume = fc.oneof(fc.constantFrom('0', '12.5', '-3', '9007199254740992', 'x', '1e3'), fc.nat().map(String));
    const arbitraryBar: fc.Arbitrary<ProviderBar> = fc.record({
      // A few minutes either side of now: plenty of duplicates and future bars.
      ts: fc.integer({ min: -3, max: 3 }).map((minute) => new Date(NOW.getTime() + minute * 60_000)),
      open: fc.option(decimalish, { nil: null }),
      high: fc.option(decimalish, { nil: null }),
      low: fc.option(decimalish, { nil: null }),
      close: fc.option(decimalish, { nil: null }),
      volume: fc.option(volume, { nil: null }),
    });

    /** An oracle of our own: exact comparison through BigInt of 10^-20 units. */
    const units = (text: string): bigint => {
      const [whole = '0', fraction = ''] = text.replace('-', '').split('.');
      const magnitude = BigInt(`${whole}${fraction.padEnd(20, '0')}`);
      return text.startsWith('-') ? -magnitude : magnitude;
    };

    const STORE_DECIMAL = /^-?\d{1,40}(\.\d{1,20})?$/;
    const PLAIN = /^-?\d+(\.\d+)?$/;
    const ONE = units('1');

    /** The first rule a bar breaks, written from SPEC §3 and §5 on exact BigInt units. */
    const expectedReason = (input: ProviderBar): string | null => {
      const { close, open, high, low, volume } = input;
      if (close === null) return 'missing_close';
      const prices = [close, open, high, low].filter((price) => price !== null);
      if (prices.some((price) => !STORE_DECIMAL.test(price))) return 'not_a_number';
      if (volume !== null && !PLAIN.test(volume)) return 'not_a_number';
      if (prices.some((price) => units(price) <= 0n)) return 'non_positive_price';
      if (volume !== null) {
        const exact = units(volume);
        if (exact < 0n) return 'negative_volume';
        if ((exact + ONE / 2n) / ONE > BigInt(Number.MAX_SAFE_INTEGER)) return 'volume_out_of_range';
      }
      const lowUnits = low === null ? null : units(low);
      const highUnits = high === null ? null : units(high);
      if (lowUnits !== null && highUnits !== null && lowUnits > highUnits) return 'ohlc_inconsistent';
      for (const price of [close, open]) {
        if (price === null) continue;
        if ((lowUnits !== null && units(price) < lowUnits) || (highUnits !== null && units(price) > highUnits)) {
          return 'ohlc_inconsistent';
        }
      }
      return input.ts.getTime() > NOW.getTime() ? 'future_ts' : null;
    };

    it('rejects every bar for the first rule it breaks, and accepts every other (duplicates aside)', () => {
      fc.assert(
        fc.property(fc.array(arbitraryBar, { maxLength: 30 }), (bars) => {
          const { accepted, rejected } = validateBars(bars, NOW);
          const reasons = new Map(rejected.map((entry) => [entry.bar, entry.reason]));
          const acceptedTs = new Set(accepted.map((valid) => valid.ts.getTime()));
          for (const input of bars) {
            const reason = reasons.get(input) ?? null;
            if (reason === 'duplicate_ts') {
              expect(expectedReason(input)).toBeNull();
              expect(acceptedTs.has(input.ts.getTime())).toBe(true);
            } else {
              expect(reason).toBe(expectedReason(input));
            }
          }
        }),
        { numRuns: 1000 },
      );
    });

    it('accounts for every input bar exactly once, in input order', () => {
      fc.assert(
        fc.property(fc.array(arbitraryBar, { maxLength: 30 }), (bars) => {
          const { accepted, rejected } = validateBars(bars, NOW);
          expect(accepted.length + rejected.length).toBe(bars.length);
          const rejectedBars = new Set(rejected.map((entry) => entry.bar));
          const acceptedInputs = bars.filter((input) => !rejectedBars.has(input));
          expect(accepted.map((valid) => valid.ts.getTime())).toEqual(
            acceptedInputs.map((input) => input.ts.getTime()),
          );
          expect(accepted.map((valid) => valid.price)).toEqual(acceptedInputs.map((input) => input.close));
        }),
        { numRuns: 500 },
      );
    });

    it('accepts only bars that satisfy every rule', () => {
      fc.assert(
        fc.property(fc.array(arbitraryBar, { maxLength: 30 }), (bars) => {
          const { accepted } = validateBars(bars, NOW);
          expect(new Set(accepted.map((valid) => valid.ts.getTime())).size).toBe(accepted.length);
          for (const valid of accepted) {
            expect(valid.ts.getTime()).toBeLessThanOrEqual(NOW.getTime());
            const prices = [valid.open, valid.high, valid.low, valid.price].filter((price) => price !== null);
            for (const price of prices) {
              expect(price).toMatch(/^-?\d+(\.\d+)?$/);
              expect(units(price) > 0n).toBe(true);
            }
            const low = valid.low === null ? null : units(valid.low);
            const high = valid.high === null ? null : units(valid.high);
            for (const price of [valid.open, valid.price]) {
              if (price === null) continue;
              if (low !== null) expect(units(price) >= low).toBe(true);
              if (high !== null) expect(units(price) <= high).toBe(true);
            }
            if (low !== null && high !== null) expect(low <= high).toBe(true);
            if (valid.volume !== null) {
              expect(Number.isSafeInteger(valid.volume) && valid.volume >= 0).toBe(true);
            }
          }
        }),
        { numRuns: 500 },
      );
    });

    it('rejects a bar as a duplicate only when an accepted bar earlier in the batch has its ts', () => {
      fc.assert(
        fc.property(fc.array(arbitraryBar, { maxLength: 30 }), (bars) => {
          const { accepted, rejected } = validateBars(bars, NOW);
          for (const { bar: duplicate, reason } of rejected) {
            if (reason !== 'duplicate_ts') continue;
            const position = bars.indexOf(duplicate);
            const earlierAccepted = bars
              .slice(0, position)
              .some(
                (earlier) =>
                  earlier.ts.getTime() === duplicate.ts.getTime() &&
                  accepted.some((valid) => valid.ts.getTime() === earlier.ts.getTime()),
              );
            expect(earlierAccepted).toBe(true);
          }
        }),
        { numRuns: 500 },
      );
    });
  });
});
