import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import request from 'supertest';
import { downloadBytes } from '../support/download-bytes';
import type { PricePointInput } from '@market/cassandra';
import { type RunningApi, startApi } from '../support/api-app';
import { canonicalDecimal, duckdbRows } from '../support/duckdb';
import { seedSeriesInBatches } from '../support/seed-bulk';
import type { PricePointJson } from '../support/price-point-json';

/**
 * SPEC §12 downloads on the multi-series route `GET /api/v1/bars`: CSV (with a leading
 * `symbol` column), NDJSON and Parquet of several series equal the JSON walk of the same
 * request, symbol by symbol and row for row, with timeframe, tz and adjustment honoured;
 * the range routes' rules for negotiation (406), page tokens and the row cap hold here too.
 */

const MINUTE = 60_000;
/** Request order, not sorted: a numeric id (whose JSON key would come first) in the middle. */
const SYMBOLS = ['MXA', '7203', 'commodity:mxoil'];

type Item = PricePointJson;
type Row = Item & { symbol: string };

function points(seed: number, count: number, stepMinutes: number): PricePointInput[] {
  const start = Date.parse('2025-03-03T00:00:00Z');
  return Array.from({ length: count }, (_, index) => {
    const cents = 1000 + ((index * 7919 + seed * 104_729) % 900_000);
    const price = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}${index % 4 === 0 ? '0001' : ''}`;
    return {
      ts: new Date(start + index * stepMinutes * MINUTE),
      price,
      ...(index % 5 === 0 ? {} : { open: price, high: `${Math.floor(cents / 100) + 1}`, low: '0.5' }),
      ...(index % 7 === 0 ? {} : { volume: index * 3 }),
      sourceId: index % 2 === 0 ? 'yahoo' : 'stooq, "quoted"',
    };
  });
}

describe('downloads on GET /api/v1/bars: CSV, NDJSON and Parquet of several series (real Cassandra)', () => {
  let api: RunningApi;
  let capped: RunningApi;
  let tightlyCapped: RunningApi;
  let scratch: string;

  beforeAll(async () => {
    api = await startApi('e2e_bars_exports', { REQUEST_TIMEOUT_MS: '60000', CASSANDRA_REQUEST_TIMEOUT_MS: '30000' });
    capped = await startApi('e2e_bars_exports', { EXPORT_MAX_ROWS: '7000' }, api);
    tightlyCapped = await startApi('e2e_bars_exports', { EXPORT_MAX_ROWS: '3000' }, api);
    await seedSeriesInBatches(api.app, 'asset', 'MXA', points(1, 6200, 7), {
      interval: '1m',
      timezone: 'America/New_York',
    });
    await seedSeriesInBatches(api.app, 'asset', '7203', points(2, 2600, 11), {
      interval: '1m',
      timezone: 'Asia/Tokyo',
    });
    await seedSeriesInBatches(api.app, 'commodity', 'mxoil', points(3, 3100, 13), { interval: '1m' });
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bars-exports-e2e-'));
  }, 300_000);

  afterAll(async () => {
    await tightlyCapped.close();
    await capped.close();
    await api.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  /** The JSON walk of /bars: per page, each symbol's items in request order. */
  async function jsonWalk(query: Record<string, string>): Promise<Row[]> {
    const rows: Row[] = [];
    let token: string | null = null;
    do {
      const response = await api.http.get('/api/v1/bars').query({
        ...query,
        symbols: SYMBOLS.join(','),
        limit: '5000',
        ...(token === null ? {} : { page_token: token }),
      });
      expect(response.status).toBe(200);
      const page = response.body as { bars: Record<string, Item[]>; next_page_token: string | null };
      for (const symbol of SYMBOLS) rows.push(...(page.bars[symbol] ?? []).map((item) => ({ symbol, ...item })));
      token = page.next_page_token;
    } while (token !== null);
    return rows;
  }

  function download(query: Record<string, string>, headers: Record<string, string> = {}) {
    return downloadBytes(api.app.getHttpServer(), '/api/v1/bars', { ...query, symbols: SYMBOLS.join(',') }, headers);
  }

  const FIELDS = [
    'symbol',
    'ts',
    'price',
    'open',
    'high',
    'low',
    'volume',
    'source_id',
    'bar_count',
    'complete',
    'adjustment_factor',
  ] as const;
  const DECIMALS = new Set(['price', 'open', 'high', 'low', 'adjustment_factor']);

  /** Every field of a row as text ('' for null), the fields it has, in FIELDS order. */
  const csvFields = (row: Row) =>
    FIELDS.filter((field) => field in row).map((field) => {
      const value = row[field];
      return value === null || value === undefined ? '' : String(value);
    });

  async function expectDownloadsEqualJson(query: Record<string, string>): Promise<Row[]> {
    const rows = await jsonWalk(query);
    const csv = await download({ ...query, format: 'csv' });
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    expect(csv.headers['content-disposition']).toBe('attachment; filename="bars.csv"');
    const text = csv.body.toString('utf8');
    const header = text.slice(0, text.indexOf('\r\n')).split(',');
    expect(header[0]).toBe('symbol');
    expect(header).toEqual(FIELDS.filter((field) => rows[0] !== undefined && field in rows[0]));
    const records = parseCsv<Record<string, string>>(text, { columns: true }).map((record) => Object.values(record));
    expect(records).toEqual(rows.map(csvFields));

    const ndjson = await download(query, { Accept: 'application/x-ndjson' });
    expect(ndjson.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    const lines = ndjson.body.toString('utf8').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((line) => JSON.parse(line) as Row)).toEqual(rows);

    const parquet = await download(query, { Accept: 'application/vnd.apache.parquet' });
    expect(parquet.headers['content-type']).toBe('application/vnd.apache.parquet');
    const file = path.join(scratch, `bars-${Date.now()}.parquet`);
    fs.writeFileSync(file, parquet.body);
    const read = await duckdbRows(
      `SELECT strftime(ts AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%g') || 'Z' AS ts, * EXCLUDE (ts) FROM read_parquet('${file}')`,
    );
    const normal = (row: Record<string, unknown>) =>
      FIELDS.filter((field) => field in row).map((field) => {
        const value = row[field] as string | number | boolean | null | undefined;
        if (value === null || value === undefined) return null;
        return DECIMALS.has(field) ? canonicalDecimal(String(value)) : String(value);
      });
    expect(read.map(normal)).toEqual(rows.map((row) => normal(row as unknown as Record<string, unknown>)));
    const schema = await duckdbRows(`SELECT name, logical_type FROM parquet_schema('${file}')`);
    expect(schema.find((column) => column.name === 'price')?.logical_type).toBe('DecimalType(scale=20, precision=38)');
    return rows;
  }

  it('raw bars, both sorts: every symbol in request order, row for row, digit for digit', async () => {
    const asc = await expectDownloadsEqualJson({ from: '2025-03-05', to: '2025-04-20' });
    expect(new Set(asc.map((row) => row.symbol))).toEqual(new Set(SYMBOLS));
    // Several pages of 5,000 bars, so the download crossed page boundaries and series boundaries.
    expect(asc.length).toBeGreaterThan(10_000);
    expect([...new Set(asc.map((row) => row.symbol))]).toEqual(SYMBOLS);
    const desc = await expectDownloadsEqualJson({ sort: 'desc' });
    expect(desc.length).toBe(6200 + 2600 + 3100);
  }, 180_000);

  it('honours timeframe and tz (aggregated bars with bar_count and complete) and adjustment', async () => {
    const hourly = await expectDownloadsEqualJson({ timeframe: '1h', tz: 'Asia/Kolkata' });
    expect(hourly.length).toBeGreaterThan(100);
    expect(hourly[0]).toHaveProperty('bar_count');
    const adjusted = await expectDownloadsEqualJson({ timeframe: '4h', adjustment: 'split', to: '2025-04-01' });
    expect(adjusted[0]).toHaveProperty('adjustment_factor');
  }, 180_000);

  it('answers 406 for an Accept it cannot serve, 400 for a bad format or a page token, 404 before any byte', async () => {
    const query = { symbols: SYMBOLS.join(',') };
    const notAcceptable = await api.http.get('/api/v1/bars').query(query).set('Accept', 'image/png');
    expect(notAcceptable.status).toBe(406);
    expect(notAcceptable.headers['content-type']).toMatch(/^application\/problem\+json/);
    const badFormat = await api.http.get('/api/v1/bars').query({ ...query, format: 'xml' });
    expect(badFormat.status).toBe(400);
    const withToken = await api.http.get('/api/v1/bars').query({ ...query, format: 'csv', page_token: 'abc' });
    expect(withToken.status).toBe(400);
    expect((withToken.body as { detail: string }).detail).toMatch(/page_token/);
    const unknown = await api.http
      .get('/api/v1/bars')
      .query({ symbols: 'MXA,NOPE' })
      .set('Accept', 'application/vnd.apache.parquet');
    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/^application\/problem\+json/);
    // No Accept, or a wildcard, is still the JSON page.
    const json = await api.http
      .get('/api/v1/bars')
      .query({ ...query, limit: '1' })
      .set('Accept', '*/*');
    expect(json.headers['content-type']).toMatch(/^application\/json/);
  }, 60_000);

  function openRaw(target: RunningApi, pathAndQuery: string): Promise<http.IncomingMessage> {
    const address = target.app.getHttpServer().address() as { port: number };
    return new Promise((resolve, reject) => {
      http.get({ host: '127.0.0.1', port: address.port, path: pathAndQuery }, resolve).on('error', reject);
    });
  }

  it('honours the row cap: 400 before any byte, or a cut transfer, never a short file', async () => {
    const all = `/api/v1/bars?symbols=${encodeURIComponent(SYMBOLS.join(','))}&format=csv`;
    const early = await request(tightlyCapped.app.getHttpServer()).get(all);
    expect(early.status).toBe(400);
    expect((early.body as { detail: string }).detail).toMatch(/EXPORT_MAX_ROWS/);
    const response = await openRaw(capped, all);
    expect(response.statusCode).toBe(200);
    const outcome = await new Promise<string>((resolve) => {
      response.on('data', () => undefined);
      response.on('end', () => resolve(response.complete ? 'complete' : 'cut'));
      response.on('error', () => resolve('cut'));
      response.on('aborted', () => resolve('cut'));
    });
    expect(outcome).toBe('cut');
  }, 60_000);
});
