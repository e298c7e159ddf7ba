import { setTimeout as sleep } from 'node:timers/promises';
import { exportColumns } from './export-columns';
import { type ExportPage, ExportRowCapError, openExport } from './export-stream';

const COLUMNS = exportColumns(['ts', 'price', 'volume', 'source_id']);

/** A range of `pages` pages of `rows` rows each, counting the page reads. */
function pagedRange(pages: number, rows: number) {
  const reads: (string | undefined)[] = [];
  const readPage = (token: string | undefined): Promise<ExportPage> => {
    reads.push(token);
    const index = token === undefined ? 0 : Number(token);
    return Promise.resolve({
      rows: Array.from({ length: rows }, (_, row) => ({
        ts: new Date(Date.UTC(2025, 0, 1) + (index * rows + row) * 60_000).toISOString(),
        price: `${index}.${String(row).padStart(4, '0')}`,
        volume: row,
        source_id: row % 2 === 0 ? 'yahoo' : null,
      })),
      columns: COLUMNS,
      nextPageToken: index + 1 < pages ? String(index + 1) : null,
    });
  };
  return { reads, readPage };
}

async function text(stream: NodeJS.ReadableStream): Promise<string> {
  let all = '';
  for await (const chunk of stream) all += String(chunk);
  return all;
}

describe('openExport', () => {
  it('streams every page as CSV with one header, and NDJSON line by line', async () => {
    const csv = await text(await openExport(pagedRange(3, 2).readPage, { format: 'csv', maxRows: 100 }));
    expect(csv.split('\r\n')).toEqual([
      'ts,price,volume,source_id',
      '2025-01-01T00:00:00.000Z,0.0000,0,yahoo',
      '2025-01-01T00:01:00.000Z,0.0001,1,',
      '2025-01-01T00:02:00.000Z,1.0000,0,yahoo',
      '2025-01-01T00:03:00.000Z,1.0001,1,',
      '2025-01-01T00:04:00.000Z,2.0000,0,yahoo',
      '2025-01-01T00:05:00.000Z,2.0001,1,',
      '',
    ]);
    const ndjson = await text(await openExport(pagedRange(2, 1).readPage, { format: 'ndjson', maxRows: 100 }));
    expect(ndjson).toBe(
      '{"ts":"2025-01-01T00:00:00.000Z","price":"0.0000","volume":0,"source_id":"yahoo"}\n' +
        '{"ts":"2025-01-01T00:01:00.000Z","price":"1.0000","volume":0,"source_id":"yahoo"}\n',
    );
  });

  it('reads a page only when the consumer pulls, and no more once it is destroyed', async () => {
    const range = pagedRange(1000, 5000);
    const stream = await openExport(range.readPage, { format: 'ndjson', maxRows: 10_000_000 });
    await sleep(50);
    // Nothing consumed: the first page (read to open the export) and at most one more.
    expect(range.reads.length).toBeLessThanOrEqual(2);
    stream.read();
    await sleep(50);
    const afterOneRead = range.reads.length;
    expect(afterOneRead).toBeLessThanOrEqual(3);
    stream.destroy();
    await sleep(50);
    expect(range.reads.length).toBe(afterOneRead);
  });

  it('refuses a first page over the cap before any byte, and fails the stream when a later page passes it', async () => {
    await expect(openExport(pagedRange(3, 10).readPage, { format: 'csv', maxRows: 9 })).rejects.toThrow(
      ExportRowCapError,
    );
    const exactly = await text(await openExport(pagedRange(3, 10).readPage, { format: 'csv', maxRows: 30 }));
    expect(exactly.split('\r\n')).toHaveLength(32);
    const stream = await openExport(pagedRange(3, 10).readPage, { format: 'csv', maxRows: 25 });
    await expect(text(stream)).rejects.toThrow(/more than 25 rows/);
  });

  it('writes Parquet row groups as it is read', async () => {
    const stream = await openExport(pagedRange(3, 100).readPage, { format: 'parquet', maxRows: 1000 });
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
    const file = Buffer.concat(chunks);
    expect(file.subarray(0, 4).toString()).toBe('PAR1');
    expect(file.subarray(-4).toString()).toBe('PAR1');
  });

  it('fails a Parquet export on a price DECIMAL(38,20) cannot hold, never rounding it', async () => {
    const readPage = (): Promise<ExportPage> =>
      Promise.resolve({
        rows: [{ ts: '2025-01-01T00:00:00.000Z', price: '0.000000000000000000001', volume: 1, source_id: 'x' }],
        columns: COLUMNS,
        nextPageToken: null,
      });
    const stream = await openExport(readPage, { format: 'parquet', maxRows: 10 });
    await expect(text(stream)).rejects.toThrow(/does not fit DECIMAL\(38, 20\) without rounding/);
  });

  it('writes a valid Parquet file for an empty range, and stops reading when a Parquet consumer goes away', async () => {
    const empty = await openExport(pagedRange(1, 0).readPage, { format: 'parquet', maxRows: 10 });
    const chunks: Buffer[] = [];
    for await (const chunk of empty) chunks.push(Buffer.from(chunk as Uint8Array));
    expect(Buffer.concat(chunks).subarray(-4).toString()).toBe('PAR1');
    const range = pagedRange(1000, 20_000);
    const stream = await openExport(range.readPage, { format: 'parquet', maxRows: 100_000_000 });
    for await (const chunk of stream) {
      expect((chunk as Uint8Array).length).toBeGreaterThan(0);
      break;
    }
    await sleep(200);
    const reads = range.reads.length;
    await sleep(300);
    expect(range.reads.length).toBe(reads);
    // The writer holds a few row groups of 65,536 rows before its first bytes: bounded, not the range.
    expect(reads).toBeLessThan(20);
  });
});
