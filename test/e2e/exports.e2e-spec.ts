import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import fc from 'fast-check';
import request from 'supertest';
import { downloadBytes } from '../support/download-bytes';
import { type PricePointInput, RangeReader } from '@market/cassandra';
import { type RunningApi, startApi } from '../support/api-app';
import { canonicalDecimal, duckdbRows } from '../support/duckdb';
import { seedSeriesInBatches } from '../support/seed-bulk';
import type { PricePointJson } from '../support/price-point-json';

/**
 * SPEC §12 exports against real Cassandra: CSV, NDJSON and Parquet of any range equal the
 * JSON walk of the same range row for row (CSV and NDJSON digit for digit, Parquet read back
 * by DuckDB value for value); a slow client slows the reads and a client that goes away
 * stops them; negotiation errors and the row cap.
 */

const WALK = 'EXPWALK';
const BIG = 'EXPBIG';
const MINUTE = 60_000;
const WALK_START = Date.parse('2025-01-30T00:00:00Z');
const BIG_ROWS = 100_000;

type Item = PricePointJson;

/** Decimal text with 0..8 fraction digits, trailing zeros kept as written ("12.50"). */
function decimalText(units: number, scale: number): string {
  const text = String(units).padStart(scale + 1, '0');
  return scale === 0 ? text : `${text.slice(0, -scale)}.${text.slice(-scale)}`;
}

/** ~9,000 one-minute bars over three months (Feb–Apr 2025) with gaps, mixed scales, nulls and two sources. */
function walkPoints(): PricePointInput[] {
  const random = fc.sample(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { numRuns: 40_000, seed: 2323 });
  let cursor = 0;
  const next = () => random[cursor++ % random.length] ?? 0;
  const points: PricePointInput[] = [];
  for (let minute = 0; points.length < 9000; minute += 1 + (next() % 20 === 0 ? next() % 5000 : 0)) {
    const scale = next() % 9;
    const close = 1 + (next() % 10_000_000);
    const withRange = next() % 4 !== 0;
    points.push({
      ts: new Date(WALK_START + minute * 13 * MINUTE),
      price: decimalText(close, scale),
      ...(withRange ? { open: decimalText(close + 1, scale), high: decimalText(close + 7, scale) } : {}),
      ...(withRange ? { low: decimalText(Math.max(0, close - 3), scale) } : {}),
      ...(next() % 5 === 0 ? {} : { volume: next() }),
      sourceId: next() % 3 === 0 ? 'stooq' : 'yahoo',
    });
  }
  return points;
}

function bigPoints(): PricePointInput[] {
  const start = Date.parse('2024-01-01T00:00:00Z');
  return Array.from({ length: BIG_ROWS }, (_, index) => ({
    ts: new Date(start + index * MINUTE),
    price: decimalText(100_000 + (index % 5000), 4),
    volume: index,
    sourceId: 'synthetic',
  }));
}

const jsonFields = (item: Item) => [
  item.ts,
  item.price,
  item.open,
  item.high,
  item.low,
  item.volume,
  item.source_id,
  item.bar_count,
  item.complete,
];

describe('exports: CSV, NDJSON and Parquet of a whole range (real Cassandra)', () => {
  let api: RunningApi;
  let capped: RunningApi;
  let tightlyCapped: RunningApi;
  let scratch: string;
  const walk = walkPoints();

  beforeAll(async () => {
    api = await startApi('e2e_exports');
    capped = await startApi('e2e_exports', { EXPORT_MAX_ROWS: '7000' }, api);
    tightlyCapped = await startApi('e2e_exports', { EXPORT_MAX_ROWS: '3000' }, api);
    await seedSeriesInBatches(api.app, 'asset', WALK, walk, { interval: '1m', timezone: 'America/New_York' });
    await seedSeriesInBatches(api.app, 'commodity', BIG, bigPoints(), { interval: '1m' });
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'exports-e2e-'));
  }, 300_000);

  afterAll(async () => {
    await tightlyCapped.close();
    await capped.close();
    await api.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  async function jsonWalk(route: string, query: Record<string, string>): Promise<Item[]> {
    const items: Item[] = [];
    let token: string | null = null;
    do {
      const response = await api.http
        .get(route)
        .query({ ...query, limit: '5000', ...(token === null ? {} : { page_token: token }) });
      expect(response.status).toBe(200);
      const page = response.body as { items: Item[]; next_page_token: string | null };
      items.push(...page.items);
      token = page.next_page_token;
    } while (token !== null);
    return items;
  }

  function download(route: string, query: Record<string, string>, headers: Record<string, string> = {}) {
    return downloadBytes(api.app.getHttpServer(), route, query, headers);
  }

  async function parquetItems(bytes: Buffer, name: string): Promise<Record<string, unknown>[]> {
    const file = path.join(scratch, `${name}.parquet`);
    fs.writeFileSync(file, bytes);
    return duckdbRows(
      `SELECT strftime(ts AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%g') || 'Z' AS ts, * EXCLUDE (ts) FROM read_parquet('${file}')`,
    );
  }

  function expectParquetEqualsJson(rows: Record<string, unknown>[], items: Item[]): void {
    expect(rows.length).toBe(items.length);
    rows.forEach((row, index) => {
      const item = items[index] as Item;
      expect([
        row.ts,
        canonicalDecimal(row.price as string),
        canonicalDecimal(row.open as string | null),
        canonicalDecimal(row.high as string | null),
        canonicalDecimal(row.low as string | null),
        row.volume === null ? null : Number(row.volume),
        row.source_id,
        row.bar_count ?? undefined,
        row.complete ?? undefined,
      ]).toEqual([
        item.ts,
        canonicalDecimal(item.price),
        canonicalDecimal(item.open),
        canonicalDecimal(item.high),
        canonicalDecimal(item.low),
        item.volume,
        item.source_id,
        item.bar_count,
        item.complete,
      ]);
    });
  }

  async function expectExportsEqualJson(route: string, query: Record<string, string>): Promise<number> {
    const items = await jsonWalk(route, query);
    const csv = await download(route, { ...query, format: 'csv' });
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    const text = csv.body.toString('utf8');
    expect(text.endsWith('\r\n')).toBe(true);
    const records = parseCsv<Record<string, string>>(text, { columns: true, relaxColumnCount: false });
    expect(records.map((record) => Object.values(record))).toEqual(
      items.map((item) =>
        jsonFields(item)
          .filter((value) => value !== undefined)
          .map((value) => (value === null ? '' : String(value))),
      ),
    );
    const ndjson = await download(route, query, { Accept: 'application/x-ndjson' });
    expect(ndjson.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    const lines = ndjson.body.toString('utf8').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((line) => JSON.parse(line) as Item)).toEqual(items);
    const parquet = await download(route, query, { Accept: 'application/vnd.apache.parquet' });
    expect(parquet.headers['content-type']).toBe('application/vnd.apache.parquet');
    expectParquetEqualsJson(await parquetItems(parquet.body, `walk-${Date.now()}`), items);
    return items.length;
  }

  it('CSV, NDJSON and Parquet of random ranges equal the JSON walk row for row, digit for digit', async () => {
    const walkEnd = walk.at(-1)?.ts.getTime() ?? WALK_START;
    let rows = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: WALK_START - 86_400_000, max: walkEnd }),
        fc.integer({ min: WALK_START, max: walkEnd + 86_400_000 }),
        fc.constantFrom('asc', 'desc'),
        async (a, b, sort) => {
          const [from, to] = a <= b ? [a, b] : [b, a];
          const query = { from: new Date(from).toISOString(), to: new Date(to).toISOString(), sort };
          rows += await expectExportsEqualJson(`/api/v1/data/${WALK}`, query);
        },
      ),
      { numRuns: 5, seed: 2323 },
    );
    // The ranges drawn span several pages, so the export crossed page boundaries.
    expect(rows).toBeGreaterThan(10_000);
  }, 240_000);

  it('honours timeframe and tz: an export of aggregated bars equals their JSON walk', async () => {
    // The whole series: its bars are sparse, a few thousand hours hold one or more.
    const query = { from: '2025-01-01', to: '2027-01-01', timeframe: '1h', tz: 'Asia/Kolkata' };
    expect(await expectExportsEqualJson(`/api/v1/data/${WALK}`, query)).toBeGreaterThan(10);
  }, 120_000);

  it('writes Parquet with exact types: DECIMAL(38,20) prices, TIMESTAMP(MILLIS, UTC), INT64 volume, dictionary text', async () => {
    const parquet = await download(`/api/v1/data/${WALK}`, { format: 'parquet', to: '2025-02-20' });
    const file = path.join(scratch, 'types.parquet');
    fs.writeFileSync(file, parquet.body);
    const schema = await duckdbRows(
      `SELECT name, type, logical_type FROM parquet_schema('${file}') WHERE name <> 'arrow_schema'`,
    );
    const byName = Object.fromEntries(schema.map((column) => [column.name, column]));
    expect(byName.price?.logical_type).toBe('DecimalType(scale=20, precision=38)');
    expect(byName.open?.logical_type).toBe('DecimalType(scale=20, precision=38)');
    expect(String(byName.ts?.logical_type)).toMatch(/isAdjustedToUTC=1, unit=TimeUnit\(MILLIS/);
    expect(byName.volume?.type).toBe('INT64');
    const encodings = await duckdbRows(
      `SELECT DISTINCT encodings FROM parquet_metadata('${file}') WHERE path_in_schema = 'source_id'`,
    );
    expect(encodings.map((row) => String(row.encodings))).toEqual([expect.stringContaining('RLE_DICTIONARY')]);
  });

  it('gzips when the client accepts it, and the file is the same', async () => {
    const query = { from: '2025-02-01', to: '2025-02-10', format: 'csv' };
    // supertest asks for gzip by default: the plain download says identity.
    const plain = await download(`/api/v1/data/${WALK}`, query, { 'Accept-Encoding': 'identity' });
    const zipped = await download(`/api/v1/data/${WALK}`, query, { 'Accept-Encoding': 'gzip' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(zipped.body.equals(plain.body)).toBe(true);
  });

  it('answers 406 for an Accept it cannot serve, 400 for a bad format or a page token, 404 before any byte', async () => {
    const route = `/api/v1/data/${WALK}`;
    const notAcceptable = await api.http.get(route).set('Accept', 'image/png');
    expect(notAcceptable.status).toBe(406);
    expect(notAcceptable.headers['content-type']).toMatch(/^application\/problem\+json/);
    const badFormat = await api.http.get(route).query({ format: 'xml' });
    expect(badFormat.status).toBe(400);
    expect(badFormat.headers['content-type']).toMatch(/^application\/problem\+json/);
    const withToken = await api.http.get(route).query({ format: 'csv', page_token: 'abc' });
    expect(withToken.status).toBe(400);
    expect((withToken.body as { detail: string }).detail).toMatch(/page_token/);
    const unknown = await api.http.get('/api/v1/data/NOPE').set('Accept', 'text/csv');
    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/^application\/problem\+json/);
    // A wildcard or no Accept at all is JSON, as before exports.
    const wildcard = await api.http.get(route).set('Accept', '*/*').query({ limit: '1' });
    expect(wildcard.headers['content-type']).toMatch(/^application\/json/);
  });

  /** A raw HTTP request whose response the test reads (or stops reading) at its own pace. */
  function openRaw(target: RunningApi, pathAndQuery: string): Promise<http.IncomingMessage> {
    const address = target.app.getHttpServer().address() as { port: number };
    return new Promise((resolve, reject) => {
      http.get({ host: '127.0.0.1', port: address.port, path: pathAndQuery }, resolve).on('error', reject);
    });
  }

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('reads no further than a slow client reads, and stops reading when the client goes away', async () => {
    const reads = jest.spyOn(api.app.get(RangeReader), 'readPage');
    try {
      const response = await openRaw(api, `/api/v1/commodities/${BIG}/data?format=ndjson`);
      expect(response.statusCode).toBe(200);
      response.pause();
      // 100,000 rows are 20 pages of 5,000: a client that does not read holds the export a few pages in.
      await sleep(1500);
      const whilePaused = reads.mock.calls.length;
      await sleep(1500);
      expect(reads.mock.calls.length).toBe(whilePaused);
      expect(whilePaused).toBeLessThan(12);
      // Read a little, then go away mid-export.
      let received = 0;
      response.on('data', (chunk: Buffer) => {
        received += chunk.length;
      });
      response.resume();
      await sleep(300);
      response.destroy();
      await sleep(1500);
      const afterDisconnect = reads.mock.calls.length;
      await sleep(1500);
      expect(reads.mock.calls.length).toBe(afterDisconnect);
      expect(afterDisconnect).toBeLessThan(BIG_ROWS / 5000);
      expect(received).toBeGreaterThan(0);
    } finally {
      reads.mockRestore();
    }
  }, 60_000);

  it('streams a range over the cap no further than the cap: 400 before any byte, or a cut transfer', async () => {
    // 3,000-row cap: the first page (5,000 rows) already holds more, so the answer is a clean 400.
    const early = await request(tightlyCapped.app.getHttpServer()).get(`/api/v1/commodities/${BIG}/data?format=csv`);
    expect(early.status).toBe(400);
    expect((early.body as { detail: string }).detail).toMatch(/EXPORT_MAX_ROWS/);
    // Exactly the cap is fine.
    const atCap = await request(tightlyCapped.app.getHttpServer())
      .get(`/api/v1/commodities/${BIG}/data`)
      .query({ format: 'ndjson', to: new Date(Date.parse('2024-01-01T00:00:00Z') + 2999 * MINUTE).toISOString() });
    expect(atCap.status).toBe(200);
    expect(atCap.text.split('\n').length - 1).toBe(3000);
    // 7,000-row cap: the second page passes it mid-stream; the transfer is cut, never a clean short file.
    const response = await openRaw(capped, `/api/v1/commodities/${BIG}/data?format=csv`);
    expect(response.statusCode).toBe(200);
    const outcome = await new Promise<string>((resolve) => {
      let lines = 0;
      response.on('data', (chunk: Buffer) => {
        lines += chunk.toString('utf8').split('\r\n').length - 1;
      });
      response.on('end', () => resolve(response.complete ? `complete after ${lines} lines` : 'cut'));
      response.on('error', () => resolve('cut'));
      response.on('aborted', () => resolve('cut'));
    });
    expect(outcome).toBe('cut');
  }, 60_000);
});
