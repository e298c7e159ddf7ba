import fc from 'fast-check';
import { types } from 'cassandra-driver';
import { decimalText } from './decimal';

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
        expect(decimalText(types.BigDecimal.fromString(text))).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it("agrees with the driver's own toString for values decoded from the wire, large or small", () => {
    const digits = fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 30 });
    fc.assert(
      fc.property(fc.boolean(), digits, fc.option(digits), (negative, whole, fraction) => {
        const text = `${negative ? '-' : ''}${whole}${fraction === null ? '' : `.${fraction}`}`;
        const decoded = types.BigDecimal.fromBuffer(types.BigDecimal.toBuffer(types.BigDecimal.fromString(text)));
        expect(decimalText(decoded)).toBe(decoded.toString());
      }),
      { numRuns: 2000 },
    );
  });
});
