import fc from 'fast-check';
import { DecimalOutOfRangeError, PARQUET_DECIMAL, unscaledDecimal, writeDecimal128 } from './decimal128';

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

/** The value writeDecimal128 wrote at `index`, as a signed 128-bit integer. */
function written(text: string, index = 1): bigint {
  const words = new Uint32Array(12).fill(0xdeadbeef);
  writeDecimal128('price', text, words, index);
  expect([...words.slice(0, 4 * index), ...words.slice(4 * index + 4)]).toEqual(Array(8).fill(0xdeadbeef));
  const unsigned = [...words.slice(4 * index, 4 * index + 4)].reduceRight(
    (sum, word) => (sum << 32n) | BigInt(word),
    0n,
  );
  return BigInt.asIntN(128, unsigned);
}

describe('writeDecimal128', () => {
  it('writes the same value as unscaledDecimal, in its four words only', () => {
    for (const text of [
      '189.10',
      '-0.00000015',
      '0',
      '-0.00',
      '999999999999999',
      '-1',
      '0.000000000000001',
      '4294967296.5',
    ]) {
      expect(written(text)).toBe(unscaledDecimal('price', text));
    }
    // Longer than the plain-arithmetic path: the BigInt one.
    expect(written('123456789012345678.12345678901234567890')).toBe(12345678901234567812345678901234567890n);
    expect(written('-000001.000000000000000000000000')).toBe(-(10n ** 20n));
  });

  it('refuses what unscaledDecimal refuses', () => {
    for (const text of [
      '',
      '-',
      '5.',
      '.5',
      '-.5',
      '1.2.3',
      '--5',
      '1e3',
      ' 1',
      '0.000000000000000000001',
      '1234567890123456789',
    ]) {
      expect(() => written(text)).toThrow(DecimalOutOfRangeError);
    }
  });

  it('agrees with unscaledDecimal on every plain decimal of up to 38 digits', () => {
    const decimalText = fc
      .tuple(fc.boolean(), fc.stringMatching(/^\d{1,19}$/), fc.option(fc.stringMatching(/^\d{1,21}$/)))
      .map(
        ([negative, integer, fraction]) => `${negative ? '-' : ''}${integer}${fraction === null ? '' : `.${fraction}`}`,
      );
    fc.assert(
      fc.property(decimalText, fc.nat(2), (text, index) => {
        let expected: bigint | Error;
        try {
          expected = unscaledDecimal('price', text);
        } catch (error) {
          expected = error as Error;
        }
        if (expected instanceof Error) expect(() => written(text, index)).toThrow(DecimalOutOfRangeError);
        else expect(written(text, index)).toBe(expected);
      }),
      { numRuns: 5000 },
    );
  });
});
