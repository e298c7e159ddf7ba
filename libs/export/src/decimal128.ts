/**
 * Parquet prices are DECIMAL(38, 20) in 16-byte two's complement: 20 fraction digits hold
 * every fraction the store accepts (DECIMAL_TEXT_LIMITS), and 38 is the widest precision that
 * DuckDB, Spark, Trino and pyarrow read as an exact decimal (wider ones become doubles). A
 * value needing more integer digits (18 here) is an error, never rounded.
 */
export const PARQUET_DECIMAL = { precision: 38, scale: 20 } as const;

const PLAIN_DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** A decimal text that a DECIMAL(precision, scale) column cannot hold without rounding. */
export class DecimalOutOfRangeError extends Error {
  override readonly name = 'DecimalOutOfRangeError';

  constructor(
    readonly column: string,
    readonly value: string,
  ) {
    super(
      `${column} value "${value.slice(0, 80)}" does not fit DECIMAL(${PARQUET_DECIMAL.precision}, ` +
        `${PARQUET_DECIMAL.scale}) without rounding; export it as CSV or NDJSON instead`,
    );
  }
}

/** The unscaled integer of a plain decimal text at PARQUET_DECIMAL's scale; throws when it does not fit. */
export function unscaledDecimal(column: string, text: string): bigint {
  const match = PLAIN_DECIMAL.exec(text);
  if (match === null) throw new DecimalOutOfRangeError(column, text);
  const [, sign = '', integerDigits = '', fractionDigits = ''] = match;
  const fraction = fractionDigits.replace(/0+$/, '');
  const integer = integerDigits.replace(/^0+/, '');
  if (fraction.length > PARQUET_DECIMAL.scale || integer.length > PARQUET_DECIMAL.precision - PARQUET_DECIMAL.scale) {
    throw new DecimalOutOfRangeError(column, text);
  }
  const unscaled = BigInt(`${integer}${fraction.padEnd(PARQUET_DECIMAL.scale, '0')}`);
  return sign === '-' ? -unscaled : unscaled;
}
