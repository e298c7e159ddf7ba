import fc from 'fast-check';
import { decimalText, isDecimalText, toBigDecimal } from './decimal';

describe('exact decimals', () => {
  it('round-trips any plain decimal digit for digit, trailing zeros included', () => {
    const digits = (min: number, max: number) =>
      fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
    const decimal = fc
      .tuple(fc.boolean(), fc.integer({ min: 0, max: 10 ** 9 }), fc.option(digits(1, 20)))
      .map(([negative, whole, fraction]) => `${negative ? '-' : ''}${whole}${fraction === null ? '' : `.${fraction}`}`);
    fc.assert(
      fc.property(decimal, (text) => {
        // Negative zero is zero: the one spelling that does not come back as written.
        const expected = /^-0(\.0+)?$/.test(text) ? text.slice(1) : text;
        expect(decimalText(toBigDecimal(text))).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects exponents, blanks and non-numbers instead of silently misreading them', () => {
    for (const bad of ['1e3', '1.5E-7', '', ' 1', '1.', '.5', 'NaN', 'Infinity', '0x10', '1,5', '+1']) {
      expect(isDecimalText(bad)).toBe(false);
      expect(() => toBigDecimal(bad)).toThrow(RangeError);
    }
  });
});
