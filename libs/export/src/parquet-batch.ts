import {
  Bool,
  type Data,
  Decimal,
  Dictionary,
  Field,
  Int32,
  Int64,
  RecordBatch,
  Schema,
  Struct,
  Table,
  TimestampMillisecond,
  Utf8,
  makeData,
  tableToIPC,
  vectorFromArray,
} from 'apache-arrow';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import * as parquet from 'parquet-wasm';
import { PARQUET_DECIMAL, writeDecimal128 } from './decimal128';
import type { ExportColumn, ExportRow, ExportValue } from './export-columns';
import { epochMsOfInstant } from './instant-ms';

/** Arrow validity bitmap of the rows whose value is present, and how many are null. */
function validity(values: readonly (ExportValue | undefined)[]): { bitmap: Uint8Array; nullCount: number } {
  const bitmap = new Uint8Array(Math.ceil(values.length / 8));
  let nullCount = 0;
  values.forEach((value, index) => {
    if (value === null || value === undefined) nullCount += 1;
    else bitmap[index >> 3] = (bitmap[index >> 3] ?? 0) | (1 << (index & 7));
  });
  return { bitmap, nullCount };
}

function epochMs(column: string, value: ExportValue): number {
  const ms = typeof value === 'number' ? value : epochMsOfInstant(String(value));
  if (!Number.isSafeInteger(ms)) throw new TypeError(`${column} value "${String(value)}" is not an instant`);
  return ms;
}

function int64(column: string, value: ExportValue): number | bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
  throw new TypeError(`${column} value "${String(value)}" is not a 64-bit integer`);
}

const TWO_TO_32 = 2 ** 32;

/**
 * The words of a fixed-width 64-bit column (timestamps, int64) with its nulls. A safe
 * integer is written as its two 32-bit halves, not through a BigInt per value.
 */
function int64Words(
  values: readonly (ExportValue | undefined)[],
  convert: (value: ExportValue) => number | bigint,
): { data: BigInt64Array; nullBitmap: Uint8Array; nullCount: number; length: number } {
  const data = new BigInt64Array(values.length);
  const halves = new Uint32Array(data.buffer);
  values.forEach((value, index) => {
    if (value === null || value === undefined) return;
    const converted = convert(value);
    if (typeof converted === 'bigint') {
      data[index] = converted;
      return;
    }
    // Little-endian, as Arrow's buffers: the low half first; floor keeps a negative's two's complement.
    const high = Math.floor(converted / TWO_TO_32);
    halves[2 * index] = converted - high * TWO_TO_32;
    halves[2 * index + 1] = high >>> 0;
  });
  const { bitmap, nullCount } = validity(values);
  return { data, nullBitmap: bitmap, nullCount, length: values.length };
}

function decimalData(column: string, values: readonly (ExportValue | undefined)[]): Data<Decimal> {
  const words = new Uint32Array(values.length * 4);
  values.forEach((value, index) => {
    if (value !== null && value !== undefined) writeDecimal128(column, String(value), words, index);
  });
  const { bitmap, nullCount } = validity(values);
  const type = new Decimal(PARQUET_DECIMAL.scale, PARQUET_DECIMAL.precision, 128);
  return makeData({ type, length: values.length, nullCount, nullBitmap: bitmap, data: words });
}

function columnData(column: ExportColumn, values: readonly (ExportValue | undefined)[]): Data {
  const present = (value: ExportValue | undefined) => value !== null && value !== undefined;
  switch (column.type) {
    case 'timestamp':
      // TIMESTAMP(MILLIS, isAdjustedToUTC=true) in Parquet.
      return makeData({
        type: new TimestampMillisecond('UTC'),
        ...int64Words(values, (value) => epochMs(column.name, value)),
      });
    case 'int64':
      return makeData({ type: new Int64(), ...int64Words(values, (value) => int64(column.name, value)) });
    case 'decimal':
      return decimalData(column.name, values);
    case 'int32':
      return vectorFromArray(
        values.map((value) => (present(value) ? Number(value) : null)),
        new Int32(),
      ).data[0] as Data;
    case 'boolean':
      return vectorFromArray(
        values.map((value) => (present(value) ? value === true || value === 'true' : null)),
        new Bool(),
      ).data[0] as Data;
    case 'text':
      // Few distinct values (sources, symbols): dictionary-encoded in Arrow and in Parquet.
      return vectorFromArray(
        values.map((value) => (present(value) ? String(value) : null)),
        new Dictionary(new Utf8(), new Int32()),
      ).data[0] as Data;
  }
}

/** These rows as one Arrow record batch in parquet-wasm's memory, ready for its writer. */
export function parquetRecordBatch(columns: readonly ExportColumn[], rows: readonly ExportRow[]): parquet.RecordBatch {
  const children = columns.map((column) =>
    columnData(
      column,
      rows.map((row) => row[column.name]),
    ),
  );
  const schema = new Schema(children.map((data, index) => new Field(columns[index]?.name ?? '', data.type, true)));
  const batch = new RecordBatch(
    schema,
    makeData({ type: new Struct(schema.fields), length: rows.length, nullCount: 0, children }),
  );
  // Arrow JS and the wasm writer share no memory: the batch crosses as an IPC stream.
  const table = parquet.Table.fromIPCStream(tableToIPC(new Table([batch]), 'stream'));
  const wasmBatch = table.recordBatch(0);
  table.free();
  if (wasmBatch === undefined) throw new Error('parquet-wasm lost an Arrow record batch');
  return wasmBatch;
}

/** Rows per Parquet row group: the writer holds one group in memory before it writes it out. */
export const PARQUET_ROW_GROUP_ROWS = 65536;

/** Writer settings of every export: zstd, dictionary pages, row groups of PARQUET_ROW_GROUP_ROWS. */
export function parquetWriterProperties(columns: readonly ExportColumn[]): parquet.WriterProperties {
  let builder = new parquet.WriterPropertiesBuilder()
    .setCompression(parquet.Compression.ZSTD)
    .setDictionaryEnabled(false)
    .setMaxRowGroupSize(PARQUET_ROW_GROUP_ROWS)
    .setCreatedBy('market-warehouse');
  // Dictionaries for text only (sources, symbols: few values). On prices and instants a
  // dictionary fills up and falls back while it costs hashing and memory: 2,000,000 rows
  // took 8.8 s of CPU instead of 10.3 s without them, in a 73.3 MB file instead of 84.3 MB.
  for (const column of columns) {
    if (column.type === 'text') builder = builder.setColumnDictionaryEnabled(column.name, true);
  }
  return builder.build();
}

/**
 * Rows per record batch handed to the writer. Its WebAssembly memory never shrinks and grows
 * with the size of the batches it is given (an allocator that cannot reuse the gaps): over
 * 2,000,000 rows it ended at 26 MB with batches of 1,000 rows, 28 MB with 2,000, 41 MB with
 * 5,000 (an API page) and 92 MB with 16,384.
 */
export const PARQUET_BATCH_ROWS = 2000;

/** `nextRows`, cut into batches of at most PARQUET_BATCH_ROWS rows (empty ones skipped). */
function inBatches(nextRows: () => Promise<readonly ExportRow[] | null>): () => Promise<readonly ExportRow[] | null> {
  let pending: readonly ExportRow[] = [];
  let at = 0;
  return async () => {
    while (at >= pending.length) {
      const rows = await nextRows();
      if (rows === null) return null;
      [pending, at] = [rows, 0];
    }
    at += PARQUET_BATCH_ROWS;
    return pending.length <= PARQUET_BATCH_ROWS ? pending : pending.slice(at - PARQUET_BATCH_ROWS, at);
  };
}

/**
 * A Parquet file of the row batches `nextRows` yields (null when there are no more), pulled
 * one at a time as the consumer reads: the writer asks for rows only when it needs them.
 * A failure of `nextRows` fails the returned stream with that error, before the file's
 * footer, so no reader takes what was sent for a whole file. (parquet-wasm 0.8 throws an
 * uncaught "Dyn casting error" for an input that errors or ends without a single batch, so
 * the input always holds one, empty if need be, and is closed, never errored.)
 */
export async function parquetByteStream(
  columns: readonly ExportColumn[],
  nextRows: () => Promise<readonly ExportRow[] | null>,
): Promise<Readable> {
  const nextBatch = inBatches(nextRows);
  const failure: { error?: unknown } = {};
  const consumer = { gone: false };
  let batches = 0;
  const input = new ReadableStream<parquet.RecordBatch>(
    {
      async pull(controller) {
        let rows: readonly ExportRow[] | null;
        try {
          // A consumer that went away reads no more: the writer is told the input ended.
          rows = consumer.gone ? null : await nextBatch();
        } catch (error) {
          failure.error = error;
          rows = null;
        }
        if (rows === null && batches > 0) {
          controller.close();
          return;
        }
        let batch: parquet.RecordBatch;
        try {
          batch = parquetRecordBatch(columns, rows ?? []);
        } catch (error) {
          failure.error = error;
          if (batches > 0) {
            controller.close();
            return;
          }
          batch = parquetRecordBatch(columns, []);
        }
        batches += 1;
        controller.enqueue(batch);
        if (rows === null) controller.close();
      },
    },
    { highWaterMark: 0 },
  );
  const bytes = (await parquet.transformParquetStream(
    input,
    parquetWriterProperties(columns),
  )) as WebReadableStream<Uint8Array>;
  const chunks = Readable.fromWeb(bytes)[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
  return new Readable({
    highWaterMark: 1,
    read() {
      chunks.next().then(
        (next) => {
          if ('error' in failure)
            this.destroy(failure.error instanceof Error ? failure.error : new Error(String(failure.error)));
          else this.push(next.done === true ? null : next.value);
        },
        (error: unknown) => this.destroy(error instanceof Error ? error : new Error(String(error))),
      );
    },
    destroy(error, callback) {
      // At once, not when the writer's pending chunk arrives: that chunk needs more input.
      consumer.gone = true;
      void chunks.return?.();
      callback(error);
    },
  });
}
