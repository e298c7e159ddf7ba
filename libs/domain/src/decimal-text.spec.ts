import fc from 'fast-check';
import {
  DECIMAL_TEXT_LIMITS,
  compareDecimals,
  isDecimalText,
  isPlainDecimal,
  plainDecimalFromNumber,
  roundHalfUp,
  scanShortDecimal,
  toPlainDecimal,
} from './decimal-text';

/** An independent oracle: a plain decimal as an integer count of 10^-40. */
function scaled(text: string): bigint {
  const negative = text.startsWith('-');
  const [integerText = '0', fractionText = ''] = text.replace('-', '').split('.');
  const magnitude = BigInt(`${integerText}${fractionText.padEnd(40, '0')}`);
  return negative ? -magnitude : magnitude;
}

const digits = (minLength: number, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength, maxLength });
const plainDecimal = fc
  .tuple(fc.boolean(), digits(1, 12), fc.option(digits(1, 20), { nil: undefined }))
  .map(
    ([negative, whole, fraction]) => `${negative ? '-' : ''}${whole}${fraction === undefined ? '' : `.${fraction}`}`,
  );

describe('roundHalfUp', () => {
  it('removes float noise at the declared precision, padding to exactly that many digits', () => {
    expect(roundHalfUp('189.10000610351562', 2)).toBe('189.10');
    expect(roundHalfUp('189.0999969482422', 2)).toBe('189.10');
    expect(roundHalfUp('71.5', 2)).toBe('71.50');
    expect(roundHalfUp('1.23456', 4)).toBe('1.2346');
  });

  it('rounds a tie up where toFixed on the float rounds it down', () => {
    expect((1.005).toFixed(2)).toBe('1.00');
    expect(roundHalfUp('1.005', 2)).toBe('1.01');
  });

  it('carries through nines and grows the integer part', () => {
    expect(roundHalfUp('9.995', 2)).toBe('10.00');
    expect(roundHalfUp('999.5', 0)).toBe('1000');
  });

  it('rounds negatives away from zero and never returns a negative zero', () => {
    expect(roundHalfUp('-2.5', 0)).toBe('-3');
    expect(roundHalfUp('-0.001', 2)).toBe('0.00');
  });

  it('rejects text that is not a plain decimal', () => {
    expect(() => roundHalfUp('1e-7', 2)).toThrow(RangeError);
  });

  it('agrees with integer arithmetic on every plain decimal', () => {
    fc.assert(
      fc.property(plainDecimal, fc.integer({ min: 0, max: 8 }), (text, scale) => {
        const rounded = roundHalfUp(text, scale);
        expect(rounded.split('.')[1]?.length ?? 0).toBe(scale);
        // |rounded - text| <= half a unit of the last kept digit, ties away from zero.
        const unit = 10n ** BigInt(40 - scale);
        const difference = scaled(rounded) - scaled(text);
        const absolute = difference < 0n ? -difference : difference;
        expect(absolute * 2n <= unit).toBe(true);
        if (absolute * 2n === unit) expect(scaled(rounded) < 0n === text.startsWith('-')).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('toPlainDecimal', () => {
  it('expands exponent notation into plain digits', () => {
    expect(toPlainDecimal('1e-7')).toBe('0.0000001');
    expect(toPlainDecimal('1.5E-7')).toBe('0.00000015');
    expect(toPlainDecimal('2.5e+3')).toBe('2500');
    expect(toPlainDecimal('1.04434e8')).toBe('104434000');
    expect(toPlainDecimal('1.500e1')).toBe('15.00');
    expect(toPlainDecimal('-3.2e-2')).toBe('-0.032');
  });

  it('keeps plain text digit for digit, trailing zeros included', () => {
    expect(toPlainDecimal('243.4900')).toBe('243.4900');
    expect(toPlainDecimal('0.00000100')).toBe('0.00000100');
    expect(toPlainDecimal('+.5')).toBe('0.5');
    expect(toPlainDecimal('007')).toBe('7');
  });

  it('returns null for anything that is not a number', () => {
    for (const bad of ['', '.', 'NaN', 'Infinity', '1,5', '1e', 'e5', '0x10', ' 1', '1e999', 'abc']) {
      expect(toPlainDecimal(bad)).toBeNull();
    }
  });

  it('spells every finite double exactly as its shortest round-trip form', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        const text = plainDecimalFromNumber(value);
        expect(text).not.toBeNull();
        expect(isPlainDecimal(text ?? '')).toBe(true);
        expect(Number(text)).toBe(value === 0 ? 0 : value);
      }),
      { numRuns: 1000 },
    );
    expect(plainDecimalFromNumber(Number.NaN)).toBeNull();
    // Yahoo's float32 noise, as JSON.parse hands it over.
    expect(plainDecimalFromNumber(Math.fround(189.1))).toBe('189.10000610351562');
  });
});

describe('compareDecimals', () => {
  it('orders decimals by value, not by text or float', () => {
    expect(compareDecimals('10', '9.99')).toBe(1);
    expect(compareDecimals('0.1', '0.10')).toBe(0);
    expect(compareDecimals('-0', '0.000')).toBe(0);
    expect(compareDecimals('-5', '-4.9')).toBe(-1);
    // Doubles cannot tell these apart.
    expect(compareDecimals('0.30000000000000000001', '0.3')).toBe(1);
  });

  it('agrees with integer arithmetic on every pair', () => {
    fc.assert(
      fc.property(plainDecimal, plainDecimal, (left, right) => {
        const a = scaled(left);
        const b = scaled(right);
        expect(compareDecimals(left, right)).toBe(a === b ? 0 : a < b ? -1 : 1);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('isDecimalText', () => {
  it('rejects exponents, blanks and non-numbers instead of silently misreading them', () => {
    for (const bad of ['1e3', '1.5E-7', '', ' 1', '1.', '.5', 'NaN', 'Infinity', '0x10', '1,5', '+1', '-']) {
      expect(isDecimalText(bad)).toBe(false);
      expect(isPlainDecimal(bad)).toBe(false);
    }
  });

  it("is plain notation within the store's digit limits, 40 integer and 20 fraction digits", () => {
    expect(isDecimalText(`${'9'.repeat(40)}.${'9'.repeat(20)}`)).toBe(true);
    expect(isDecimalText(`1${'0'.repeat(40)}`)).toBe(false);
    expect(isDecimalText(`0.${'1'.repeat(21)}`)).toBe(false);
    const longDecimal = fc
      .tuple(fc.boolean(), digits(1, 45), fc.option(digits(1, 25), { nil: undefined }))
      .map(([negative, whole, fraction]) => ({ negative, whole, fraction }));
    fc.assert(
      fc.property(longDecimal, ({ negative, whole, fraction }) => {
        const text = `${negative ? '-' : ''}${whole}${fraction === undefined ? '' : `.${fraction}`}`;
        expect(isPlainDecimal(text)).toBe(true);
        const fits =
          whole.length <= DECIMAL_TEXT_LIMITS.integerDigits &&
          (fraction?.length ?? 0) <= DECIMAL_TEXT_LIMITS.fractionDigits;
        expect(isDecimalText(text)).toBe(fits);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('scanShortDecimal', () => {
  const text = fc.string({ unit: fc.constantFrom(...'0123456789.-+e '), maxLength: 18 });

  it('reads exactly the plain decimals of at most 15 characters, and nothing else', () => {
    fc.assert(
      fc.property(text, (candidate) => {
        expect(scanShortDecimal(candidate) !== null).toBe(candidate.length <= 15 && isDecimalText(candidate));
      }),
      { numRuns: 20_000 },
    );
  });

  it('gives the unscaled value and scale of the text, exactly', () => {
    // At most 1 + 7 + 1 + 6 = 15 characters.
    const short = fc
      .tuple(fc.boolean(), digits(1, 7), fc.option(digits(1, 6)))
      .map(([negative, whole, fraction]) => `${negative ? '-' : ''}${whole}${fraction === null ? '' : `.${fraction}`}`);
    fc.assert(
      fc.property(short, (decimal) => {
        const scanned = scanShortDecimal(decimal);
        const [whole = '', fraction = ''] = decimal.replace('-', '').split('.');
        const magnitude = BigInt(`${whole}${fraction}`);
        expect(scanned).toEqual({
          unscaled: Number(decimal.startsWith('-') ? -magnitude : magnitude),
          scale: fraction.length,
        });
      }),
    );
  });
});
