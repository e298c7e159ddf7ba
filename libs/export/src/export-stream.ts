import { Readable } from 'node:stream';
import { csvHeader, csvRecords } from './csv-records';
import { type ExportColumn, type ExportRow } from './export-columns';
import { parquetByteStream } from './parquet-batch';

export type ExportFileFormat = 'csv' | 'ndjson' | 'parquet';

/** One page of rows as the JSON route reads it, with the token of the next (null at the end). */
export interface ExportPage {
  readonly rows: readonly ExportRow[];
  /** The columns of these rows; an export keeps the columns of its first page. */
  readonly columns: readonly ExportColumn[];
  readonly nextPageToken: string | null;
}

/** Reads one page: the first with no token, each next with the previous page's token. */
export type ExportPageReader = (pageToken: string | undefined) => Promise<ExportPage>;

/** An export would hold more rows than its cap allows. */
export class ExportRowCapError extends Error {
  override readonly name = 'ExportRowCapError';

  constructor(readonly maxRows: number) {
    super(`the export holds more than ${maxRows} rows, the cap (EXPORT_MAX_ROWS): narrow the range`);
  }
}

export interface ExportOptions {
  readonly format: ExportFileFormat;
  /** The most rows one export may hold; more is ExportRowCapError. */
  readonly maxRows: number;
}

/**
 * Walks the pages, one read per page and only as the consumer asks for more: a slow consumer
 * slows the reads, and an aborted signal (the consumer went away) stops them.
 */
async function* exportPages(
  first: ExportPage,
  readPage: ExportPageReader,
  maxRows: number,
  signal: AbortSignal,
): AsyncGenerator<ExportPage> {
  let page = first;
  let rows = 0;
  for (;;) {
    rows += page.rows.length;
    if (rows > maxRows) throw new ExportRowCapError(maxRows);
    yield page;
    if (page.nextPageToken === null || signal.aborted) return;
    page = await readPage(page.nextPageToken);
  }
}

function encodeText(format: 'csv' | 'ndjson', columns: readonly ExportColumn[], rows: readonly ExportRow[]): string {
  if (format === 'csv') return csvRecords(columns, rows);
  let text = '';
  for (const row of rows) text += `${JSON.stringify(row)}\n`;
  return text;
}

async function* textChunks(
  format: 'csv' | 'ndjson',
  columns: readonly ExportColumn[],
  pages: AsyncGenerator<ExportPage>,
): AsyncGenerator<Buffer> {
  if (format === 'csv') yield Buffer.from(csvHeader(columns));
  for await (const page of pages) {
    if (page.rows.length > 0) yield Buffer.from(encodeText(format, columns, page.rows));
  }
}

function parquetStream(columns: readonly ExportColumn[], pages: AsyncGenerator<ExportPage>): Promise<Readable> {
  return parquetByteStream(columns, async () => {
    for (;;) {
      const next = await pages.next();
      if (next.done === true) return null;
      if (next.value.rows.length > 0) return next.value.rows;
    }
  });
}

/**
 * A whole range as one file, streamed: the first page is read before this returns (so an
 * unknown series or a bad parameter fails before any byte is sent), every later page as the
 * returned stream is read. Destroying the stream stops the reads.
 */
export async function openExport(readPage: ExportPageReader, options: ExportOptions): Promise<Readable> {
  const first = await readPage(undefined);
  const abort = new AbortController();
  const pages = exportPages(first, readPage, options.maxRows, abort.signal);
  // The cap is checked on the first page here, so a small range over the cap is a clean 4xx.
  const head = await pages.next();
  const replay = (async function* () {
    if (head.done !== true) yield head.value;
    yield* pages;
  })();
  const stream =
    options.format === 'parquet'
      ? await parquetStream(first.columns, replay)
      : Readable.from(textChunks(options.format, first.columns, replay), { objectMode: false, highWaterMark: 1 });
  stream.once('close', () => abort.abort());
  return stream;
}
