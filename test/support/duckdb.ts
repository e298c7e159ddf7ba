import { DuckDBInstance } from '@duckdb/node-api';

/**
 * An independent Parquet reader for tests: DuckDB (its own C++ Parquet reader, not the
 * writer under test), in memory. Values come back as JSON-safe text (DECIMAL and BIGINT as
 * strings), so exact values compare as text.
 */
export async function duckdbRows(sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(sql);
    return reader.getRowObjectsJson();
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** A decimal text without trailing fraction zeros ("189.10" and "189.1000" are both "189.1"). */
export function canonicalDecimal(text: string | null): string | null {
  if (text === null) return null;
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}
