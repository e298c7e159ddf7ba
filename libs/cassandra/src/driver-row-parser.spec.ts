/*
 * patches/cassandra-driver+4.10.0.patch makes the driver's Parser hand over the rows of a
 * result that is not streamed row by row (every execute() and page the apps run) as one
 * array, instead of pushing each row through two object-mode streams, and builds each row
 * on a prototype that holds `__columns` instead of defining it on every row (README,
 * "Driver settings and why"). Every read of the apps goes through it, so it is checked here
 * against RESULT frames laid out by the protocol spec's rules (section 4.2.5.2), fed
 * through the same stream pipeline a connection uses, in chunks cut anywhere, as they come
 * off a socket.
 */
import fc from 'fast-check';
import { types } from 'cassandra-driver';

// The driver's stream pipeline: internal, so not in its typings or its public exports.
/* eslint-disable @typescript-eslint/no-require-imports */
const streams = require('cassandra-driver/lib/streams') as {
  Protocol: new (options: object) => NodeJS.ReadWriteStream;
  Parser: new (options: object, encoder: unknown) => NodeJS.ReadWriteStream & ParserState;
  ResultEmitter: new (options: object) => NodeJS.WritableStream & NodeJS.EventEmitter;
};
const Encoder = require('cassandra-driver/lib/encoder') as new (version: number, options: object) => unknown;
// The class behind the exported Row type, which the typings declare as an interface only.
const { Row } = require('cassandra-driver/lib/types') as { Row: abstract new (...args: never[]) => types.Row };
/* eslint-enable @typescript-eslint/no-require-imports */

interface ParserState {
  setOptions(streamId: number, options: { byRow: boolean }): void;
}

const PROTOCOL_V4 = 4;
const RESULT_OPCODE = 0x08;
const ROWS_KIND = 2;
const GLOBAL_TABLES_SPEC = 0x0001;

/** The column types of the generated results: CQL type option ids (spec section 4.2.5.2). */
const COLUMN_TYPES = {
  int: { id: 0x0009, arbitrary: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), bytes: int32 },
  text: {
    id: 0x000d,
    arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }),
    bytes: (text: string) => Buffer.from(text),
  },
  blob: {
    id: 0x0003,
    arbitrary: fc.uint8Array({ maxLength: 40 }).map((array) => Buffer.from(array)),
    bytes: (blob: Buffer) => blob,
  },
} as const;
type ColumnType = keyof typeof COLUMN_TYPES;
type Cell = number | string | Buffer | null;

interface ResultSpec {
  readonly columns: ReadonlyArray<{ readonly name: string; readonly type: ColumnType }>;
  readonly rows: ReadonlyArray<readonly Cell[]>;
}

function int32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeInt32BE(value);
  return bytes;
}

function shortString(text: string): Buffer {
  const bytes = Buffer.from(text);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

function cellBytes(type: ColumnType, cell: Cell): Buffer {
  if (cell === null) return int32(-1);
  const value = (COLUMN_TYPES[type].bytes as (value: Cell) => Buffer)(cell);
  return Buffer.concat([int32(value.length), value]);
}

/** A whole v4 RESULT frame of kind Rows, as a node would send it. */
function rowsFrame(streamId: number, result: ResultSpec): Buffer {
  const body = Buffer.concat([
    int32(ROWS_KIND),
    int32(GLOBAL_TABLES_SPEC),
    int32(result.columns.length),
    shortString('market'),
    shortString('prices'),
    ...result.columns.flatMap(({ name, type }) => {
      const typeId = Buffer.alloc(2);
      typeId.writeUInt16BE(COLUMN_TYPES[type].id);
      return [shortString(name), typeId];
    }),
    int32(result.rows.length),
    ...result.rows.flatMap((row) => result.columns.map(({ type }, index) => cellBytes(type, row[index] ?? null))),
  ]);
  const header = Buffer.alloc(9);
  header.writeUInt8(0x80 | PROTOCOL_V4, 0);
  header.writeUInt8(0, 1);
  header.writeInt16BE(streamId, 2);
  header.writeUInt8(RESULT_OPCODE, 4);
  header.writeInt32BE(body.length, 5);
  return Buffer.concat([header, body]);
}

/** What the connection's ResultEmitter emits for the bytes written, chunk by chunk. */
async function parse(
  chunks: readonly Buffer[],
  options: { byRow?: { streamId: number } } = {},
): Promise<{ result?: { rows: types.Row[] }; error?: Error; rowEvents: types.Row[]; parserItems: number }> {
  const protocol = new streams.Protocol({ objectMode: true });
  const parser = new streams.Parser({ objectMode: true }, new Encoder(PROTOCOL_V4, {}));
  const emitter = new streams.ResultEmitter({ objectMode: true });
  if (options.byRow !== undefined) parser.setOptions(options.byRow.streamId, { byRow: true });
  protocol.pipe(parser).pipe(emitter);
  const rowEvents: types.Row[] = [];
  let parserItems = 0;
  parser.on('data', () => (parserItems += 1));
  emitter.on('row', (_header: unknown, row: types.Row) => rowEvents.push(row));
  const outcome = new Promise<{ result?: { rows: types.Row[] }; error?: Error }>((resolve) => {
    // The emitter passes the error as null or undefined when there is none.
    emitter.on('result', (_header: unknown, error: Error | null | undefined, result: { rows: types.Row[] }) =>
      resolve(error ? { error } : { result }),
    );
    emitter.on('byRowCompleted', () => resolve({}));
  });
  for (const chunk of chunks) protocol.write(chunk);
  return { ...(await outcome), rowEvents, parserItems };
}

/** The frame cut at the given offsets, as reads off a socket may cut it. */
function cutAt(frame: Buffer, offsets: readonly number[]): Buffer[] {
  const cuts = [...new Set(offsets.map((offset) => offset % frame.length))]
    .filter((cut) => cut > 0)
    .sort((a, b) => a - b);
  return [0, ...cuts].map((start, index) => frame.subarray(start, cuts[index] ?? frame.length));
}

const resultSpec: fc.Arbitrary<ResultSpec> = fc
  .uniqueArray(
    fc.record({
      name: fc.stringMatching(/^[a-z][a-z0-9_]{0,12}$/),
      type: fc.constantFrom<ColumnType>('int', 'text', 'blob'),
    }),
    { minLength: 1, maxLength: 8, selector: (column) => column.name },
  )
  .chain((columns) =>
    fc.record({
      columns: fc.constant(columns),
      rows: fc.array(
        fc.tuple(...columns.map(({ type }) => fc.option(COLUMN_TYPES[type].arbitrary as fc.Arbitrary<Cell>))),
        { maxLength: 60 },
      ),
    }),
  );

/** A row as its cells in column order, with blobs as plain bytes for comparison. */
function cellsOf(row: types.Row): Cell[] {
  return row.values().map((value: unknown) => (Buffer.isBuffer(value) ? Buffer.from(value) : (value as Cell)));
}

describe("the driver's row parser (patched)", () => {
  it('is the patched parser: one item for all rows, each row finding __columns on its prototype', async () => {
    // Fails when npm ci ran without its postinstall step (patch-package), e.g. with --ignore-scripts.
    const spec: ResultSpec = { columns: [{ name: 'id', type: 'int' }], rows: [[1], [2], [3]] };
    const { result, parserItems } = await parse([rowsFrame(2, spec)]);
    expect(parserItems).toBe(2); // the rows, then the end of the frame
    const [row] = result?.rows ?? [];
    expect(row?.keys()).toEqual(['id']);
    expect(Object.getOwnPropertyNames(row)).toEqual(['id']);
  });

  it('hands over every row of a result, in order, with the cells the frame holds, however the frame is cut', async () => {
    await fc.assert(
      fc.asyncProperty(
        resultSpec,
        fc.integer({ min: 0, max: 0x7fff }),
        fc.array(fc.nat(), { maxLength: 6 }),
        async (spec, streamId, offsets) => {
          const { result, error } = await parse(cutAt(rowsFrame(streamId, spec), offsets));
          expect(error).toBeUndefined();
          expect(result?.rows.map(cellsOf)).toEqual(spec.rows);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('gives rows that behave as types.Row: methods, column names, no extra enumerable property', async () => {
    const spec: ResultSpec = {
      columns: [
        { name: 'ts_minute', type: 'int' },
        { name: 'source_id', type: 'text' },
        { name: 'price', type: 'blob' },
      ],
      rows: [
        [1, 'synthetic', Buffer.from([0, 0, 0, 2, 0x49, 0xde])],
        [2, null, null],
      ],
    };
    const { result } = await parse([rowsFrame(7, spec)]);
    const [first, second] = result?.rows ?? [];
    expect(first).toBeInstanceOf(Row);
    expect(first?.keys()).toEqual(['ts_minute', 'source_id', 'price']);
    expect(first?.get(1)).toBe('synthetic');
    expect(first?.get('ts_minute')).toBe(1);
    expect(Object.keys(first ?? {})).toEqual(['ts_minute', 'source_id', 'price']);
    expect(JSON.parse(JSON.stringify(second))).toEqual({ ts_minute: 2, source_id: null, price: null });
    expect(() => {
      (first as unknown as { __columns: unknown }).__columns = [];
    }).toThrow(TypeError);
    expect(first?.keys()).toEqual(['ts_minute', 'source_id', 'price']);
  });

  it('answers a result with no rows with an empty array', async () => {
    const { result, error } = await parse([rowsFrame(1, { columns: [{ name: 'id', type: 'int' }], rows: [] })]);
    expect(error).toBeUndefined();
    expect(result?.rows).toEqual([]);
  });

  it('answers a frame whose rows run past its end with an error, not with rows', async () => {
    const spec: ResultSpec = { columns: [{ name: 'id', type: 'int' }], rows: [[1], [2], [3]] };
    const frame = rowsFrame(3, spec);
    // The body claims three rows but holds two: the header's length is cut to match.
    const truncated = frame.subarray(0, frame.length - 8);
    truncated.writeInt32BE(truncated.length - 9, 5);
    const { result, error } = await parse([truncated]);
    expect(result).toBeUndefined();
    // Thrown by Node's Buffer, outside Jest's realm: toBeInstanceOf(RangeError) would not match.
    expect(error?.name).toBe('RangeError');
  });

  // Whole frames only: a frame cut mid-row makes the streaming parser catch Node's RangeError
  // with `instanceof RangeError`, which fails across Jest's sandbox realm (not in the driver).
  it('still streams rows one by one where a caller asked for that (eachRow, stream)', async () => {
    await fc.assert(
      fc.asyncProperty(resultSpec, async (spec) => {
        const { rowEvents } = await parse([rowsFrame(5, spec)], { byRow: { streamId: 5 } });
        expect(rowEvents.map(cellsOf)).toEqual(spec.rows);
      }),
      { numRuns: 100 },
    );
  });
});
