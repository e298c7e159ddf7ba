import fc from 'fast-check';
import * as driver from 'cassandra-driver';
import { types } from 'cassandra-driver';
import { decimalBytes, decimalTextOf, safeIntegerOf } from './wire-values';

/** The driver's own encoder: exported at runtime, missing from its typings. */
interface DriverEncoder {
  encode(value: unknown, type: number): Buffer;
  decode(bytes: Buffer, type: { code: number }): unknown;
}
const { Encoder } = driver as unknown as { Encoder: new (version: number, options: object) => DriverEncoder };
const encoder = new Encoder(types.protocolVersion.v5, {});
const driverBytes = (value: unknown, type: number): Buffer => encoder.encode(value, type);

const decimalText = fc
  .tuple(
    fc.boolean(),
    fc.stringMatching(/^(0|[1-9]\d{0,39})$/),
    fc.option(fc.stringMatching(/^\d{1,20}$/), { nil: undefined }),
  )
  .map(
    ([negative, integer, fraction]) =>
      `${negative ? '-' : ''}${integer}${fraction === undefined ? '' : `.${fraction}`}`,
  );

describe('CQL wire values', () => {
  it('encodes every plain decimal exactly as the driver does, scale and trailing zeros kept', () => {
    fc.assert(
      fc.property(decimalText, (text) => {
        expect(decimalBytes(text).equals(driverBytes(types.BigDecimal.fromString(text), types.dataTypes.decimal))).toBe(
          true,
        );
      }),
      { numRuns: 3000 },
    );
  });

  it('encodes short decimals (the one-pass path, up to 15 characters) exactly as the driver does', () => {
    const shortText = fc
      .tuple(
        fc.boolean(),
        fc.stringMatching(/^\d{1,9}$/),
        fc.option(fc.stringMatching(/^\d{1,5}$/), { nil: undefined }),
      )
      .map(
        ([negative, integer, fraction]) =>
          `${negative ? '-' : ''}${integer}${fraction === undefined ? '' : `.${fraction}`}`,
      );
    fc.assert(
      fc.property(shortText, (text) => {
        expect(decimalBytes(text).equals(driverBytes(types.BigDecimal.fromString(text), types.dataTypes.decimal))).toBe(
          true,
        );
      }),
      { numRuns: 3000 },
    );
  });

  it.each([
    '0',
    '-0',
    '007.50',
    '999999999999999', // 15 digits: a 7-byte varint, past the one-pass path's reach
    '-99999999999999.9',
    '0.00',
    '189.10',
    '-189.10',
    '127',
    '128',
    '-128',
    '-129',
    '32767',
    '32768',
    '140737488355327', // 2^47 - 1: the largest 6-byte varint
    '140737488355328',
    '-140737488355328',
    '-140737488355329',
    '9007199254740991', // 2^53 - 1
    '9007199254740993',
    '99999999999999999999999999999999999999.99999999999999999999',
  ])('encodes %s as the driver does and decodes back to the same text', (text) => {
    const bytes = decimalBytes(text);
    expect(bytes.equals(driverBytes(types.BigDecimal.fromString(text), types.dataTypes.decimal))).toBe(true);
    const decoded = encoder.decode(bytes, { code: types.dataTypes.decimal }) as types.BigDecimal;
    expect(decoded.toString()).toBe(types.BigDecimal.fromString(text).toString());
  });

  it('refuses anything but plain decimal text', () => {
    for (const text of ['1e3', '', '-', '.5', '-.5', '1.', '1.2.3', '--1', '1-', '+1', 'NaN', '1,5', ' 1', '0x10']) {
      expect(() => decimalBytes(text)).toThrow(RangeError);
    }
  });

  describe('read direction', () => {
    it('reads every decimal back as the text the driver decodes it to, scale and trailing zeros kept', () => {
      fc.assert(
        fc.property(decimalText, (text) => {
          const bytes = decimalBytes(text);
          const decoded = encoder.decode(bytes, { code: types.dataTypes.decimal }) as types.BigDecimal;
          expect(decimalTextOf(bytes)).toBe(decoded.toString());
        }),
        { numRuns: 3000 },
      );
    });

    it.each([
      ['189.10', '189.10'],
      ['-0.00', '0.00'],
      ['007.50', '7.50'],
      ['-0.05', '-0.05'],
      ['140737488355328', '140737488355328'],
      ['-9007199254740993.5', '-9007199254740993.5'],
    ])('reads %s back as %s', (written, read) => {
      expect(decimalTextOf(decimalBytes(written))).toBe(read);
    });

    it('writes a negative scale (another client may store 5E+3) out in plain digits', () => {
      const bytes = Buffer.from([0xff, 0xff, 0xff, 0xfd, 0x05]); // scale -3, unscaled 5
      expect(decimalTextOf(bytes)).toBe('5000');
    });

    it('refuses bytes too short to be a decimal', () => {
      expect(() => decimalTextOf(Buffer.from([0, 0, 1]))).toThrow(RangeError);
    });

    it('reads bigints back exactly, and refuses those a number cannot hold', () => {
      fc.assert(
        fc.property(fc.maxSafeInteger(), (value) => {
          expect(safeIntegerOf(driverBytes(types.Long.fromNumber(value), types.dataTypes.bigint))).toBe(value);
        }),
        { numRuns: 2000 },
      );
      expect(() =>
        safeIntegerOf(driverBytes(types.Long.fromString('9007199254740993'), types.dataTypes.bigint)),
      ).toThrow(RangeError);
      expect(() => safeIntegerOf(Buffer.alloc(4))).toThrow(RangeError);
    });
  });
});
