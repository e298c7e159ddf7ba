import { tableFromIPC } from 'apache-arrow';
import * as parquet from 'parquet-wasm';
import { exportColumns } from './export-columns';
import type { ExportRow } from './export-columns';
import { parquetByteStream } from './parquet-batch';

const COLUMNS = exportColumns(['ts', 'price', 'volume', 'source_id']);

/** Writes these rows as one Parquet file and reads it back column by column. */
async function roundTrip(rows: readonly ExportRow[]) {
  let served = false;
  const stream = await parquetByteStream(COLUMNS, () => {
    const batch = served ? null : rows;
    served = true;
    return Promise.resolve(batch);
  });
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  const table = tableFromIPC(parquet.readParquet(Buffer.concat(chunks)).intoIPCStream());
  // Iterated, not toArray(): that is the raw values, nulls lost.
  const column = (name: string) => [...(table.getChild(name) ?? [])] as unknown[];
  return {
    ts: column('ts').map((value) => (value === null ? null : Number(value))),
    volume: column('volume').map((value) => (value === null ? null : BigInt(value as bigint))),
  };
}

describe('parquet record batches', () => {
  it('writes 64-bit timestamps and volumes exactly, before 1970, negative, past 2^32 and up to 2^63', async () => {
    const rows: ExportRow[] = [
      { ts: '2024-01-01T13:30:00.000Z', price: '189.10', volume: 12, source_id: 'a' },
      { ts: '1969-12-31T23:59:59.999Z', price: '-0.5', volume: -5, source_id: null },
      { ts: '1901-12-13T20:45:52.000Z', price: '1', volume: 2 ** 53 - 1, source_id: 'b' },
      { ts: '2262-04-11T23:47:16.854Z', price: '2', volume: 9_223_372_036_854_775_807n, source_id: 'a' },
      { ts: '2024-01-01T13:31:00.000Z', price: '3', volume: null, source_id: 'a' },
    ];
    const read = await roundTrip(rows);
    expect(read.ts).toEqual(rows.map((row) => Date.parse(String(row.ts))));
    expect(read.volume).toEqual([12n, -5n, 2n ** 53n - 1n, 2n ** 63n - 1n, null]);
  });
});
