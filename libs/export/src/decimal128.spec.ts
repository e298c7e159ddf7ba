import fc from 'fast-check';
import { DecimalOutOfRangeError, PARQUET_DECIMAL, unscaledDecimal } from './decimal128';

describe('unscaledDecimal', () => {
  it('scales a decimal text to DECIMAL(38, 20) exactly', () => {
    expect(unscaledDecimal('price', '189.10')).toBe(18910n * 10n ** 18n);
    expect(unscaledDecimal('price', '-0.00000015')).toBe(-15n * 10n ** 12n);
    expect(unscaledDecimal('price', '0')).toBe(0n);
    expect(unscaledDecimal('price', '123456789012345678.12345678901234567890')).toBe(
      12345678901234567812345678901234567890n,
    );
  });

  it('refuses a value it would have to round or that has too many integer digits, naming it', () => {
    expect(() => unscaledDecimal('price', '0.000000000000000000001')).toThrow(DecimalOutOfRangeError);
    expect(() => unscaledDecimal('open', '1234567890123456789')).toThrow(/open value "1234567890123456789"/);
    expect(() => unscaledDecimal('price', '1e3')).toThrow(DecimalOutOfRangeError);
    // Trailing fraction zeros and leading integer zeros are not digits of the value.
    expect(unscaledDecimal('price', '000001.000000000000000000000000')).toBe(10n ** 20n);
  });

  it('round-trips every value with at most 18 integer and 20 fraction digits', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 38n) + 1n, max: 10n ** 38n - 1n }), (unscaled) => {
        const digits = (unscaled < 0n ? -unscaled : unscaled).toString().padStart(PARQUET_DECIMAL.scale + 1, '0');
        const text = `${unscaled < 0n ? '-' : ''}${digits.slice(0, -PARQUET_DECIMAL.scale)}.${digits.slice(-PARQUET_DECIMAL.scale)}`;
        expect(unscaledDecimal('price', text)).toBe(unscaled);
      }),
    );
  });
});
