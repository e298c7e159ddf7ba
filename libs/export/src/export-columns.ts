/**
 * The columns of an export and their types. Rows are the read API's JSON items (or the lake's
 * bars) as plain objects: ISO-8601 instants and decimals as text, so every format writes the
 * very digits the JSON route serves.
 */

export type ExportColumnType = 'timestamp' | 'decimal' | 'int64' | 'int32' | 'boolean' | 'text';

export interface ExportColumn {
  readonly name: string;
  readonly type: ExportColumnType;
}

/** A value of one cell: text (instants, decimals, names), a count, a flag, or null. */
export type ExportValue = string | number | bigint | boolean | null;

/** One row, keyed by column name. */
export type ExportRow = Readonly<Record<string, ExportValue | undefined>>;

/**
 * The type of every column name a range or lake export knows; a name not listed travels as
 * text (exact, whatever it holds), so a field added to the JSON items is never lost.
 */
const COLUMN_TYPES: Readonly<Record<string, ExportColumnType>> = {
  symbol: 'text',
  ts: 'timestamp',
  price: 'decimal',
  open: 'decimal',
  high: 'decimal',
  low: 'decimal',
  close: 'decimal',
  volume: 'int64',
  source_id: 'text',
  bar_count: 'int32',
  complete: 'boolean',
  filled: 'boolean',
};

/** The typed columns for these names, in this order. */
export function exportColumns(names: readonly string[]): ExportColumn[] {
  return names.map((name) => ({ name, type: COLUMN_TYPES[name] ?? 'text' }));
}

/** The columns of a page: its first row's fields, or `fallback` when it has no row. */
export function exportColumnsOf(rows: readonly ExportRow[], fallback: readonly string[]): ExportColumn[] {
  const first = rows[0];
  return exportColumns(first === undefined ? fallback : Object.keys(first));
}
