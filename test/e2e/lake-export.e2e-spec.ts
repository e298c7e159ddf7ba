import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  type BarValues,
  CatalogRepository,
  PartitionChangeRepository,
  QuoteRepository,
  RangeReader,
  RollupRepository,
  SeriesExtentRepository,
  type SeriesKind,
  SeriesWriter,
  TimeSeriesRepository,
} from '@market/cassandra';
import { parseTimeZone } from '@market/domain';
import { LakeExporter, type LakeSummary } from '../../apps/ingestor/src/lake/lake-exporter';
import { type LakeManifest, MANIFEST_FILE } from '../../apps/ingestor/src/lake/lake-manifest';
import { type RunningApi, startApi } from '../support/api-app';
import { canonicalDecimal, duckdbRows } from '../support/duckdb';

/**
 * SPEC §12's lake against real Cassandra: DuckDB over the lake agrees with the API exactly
 * (count and sum(close) per series and month), and a re-run after new bars rewrites only
 * the partitions those bars touched.
 */

const MINUTE = 60_000;
const SCALE = 20n;
const SERIES: readonly { kind: SeriesKind; id: string }[] = [
  { kind: 'asset', id: 'LAKEA' },
  { kind: 'asset', id: 'LAKEB' },
  { kind: 'commodity', id: 'lakeoil' },
];

/** Bars every 17 minutes over Jan–Mar 2025, prices of mixed scale. */
function bars(seed: number, from: string, count: number): BarValues[] {
  const start = Date.parse(from);
  return Array.from({ length: count }, (_, index) => {
    const cents = 10_000 + ((index * 7919 + seed * 104_729) % 90_000);
    const close =
      index % 3 === 0 ? `${cents / 100}` : `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}05`;
    return { ts: new Date(start + index * 17 * MINUTE), price: close, volume: index };
  });
}

/** An exact decimal sum: each text scaled to 20 fraction digits as an integer. */
function exactSum(texts: readonly string[]): string {
  let total = 0n;
  for (const text of texts) {
    const [integer = '0', fraction = ''] = text.replace('-', '').split('.');
    const value = BigInt(`${integer}${fraction.padEnd(Number(SCALE), '0')}`);
    total += text.startsWith('-') ? -value : value;
  }
  const digits = total.toString().padStart(Number(SCALE) + 1, '0');
  return canonicalDecimal(`${digits.slice(0, -Number(SCALE))}.${digits.slice(-Number(SCALE))}`) ?? '';
}

describe('the Parquet lake (npm run export -- lake), real Cassandra', () => {
  let api: RunningApi;
  let writer: SeriesWriter;
  let lake: LakeExporter;
  let out: string;

  beforeAll(async () => {
    api = await startApi('e2e_lake');
    const get = <T>(type: new (...args: never[]) => T) => api.app.get(type);
    writer = new SeriesWriter(
      get(TimeSeriesRepository),
      get(QuoteRepository),
      get(SeriesExtentRepository),
      get(RollupRepository),
      { batchRows: 100, concurrency: 4 },
      get(PartitionChangeRepository),
    );
    lake = new LakeExporter(
      get(CatalogRepository),
      get(RangeReader),
      get(PartitionChangeRepository),
      get(SeriesExtentRepository),
      get(RollupRepository),
    );
    for (const [index, { kind, id }] of SERIES.entries()) {
      await get(CatalogRepository).upsert(kind, { id, symbol: id, name: id, meta: { interval: '1m' } });
      await writer.write(kind, id, 'test', bars(index, '2025-01-03T00:00:00Z', 7000), parseTimeZone('UTC'));
    }
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'lake-e2e-'));
  }, 300_000);

  afterAll(async () => {
    await api.close();
    fs.rmSync(out, { recursive: true, force: true });
  });

  const exportLake = (): Promise<LakeSummary> =>
    lake.export(
      {
        out,
        timeframe: '1m',
        assets: ['LAKEA', 'LAKEB'],
        commodities: ['lakeoil'],
        from: new Date(0),
        to: new Date(8.64e15),
      },
      () => undefined,
    );

  async function apiMonths(kind: SeriesKind, id: string): Promise<Map<string, { rows: number; sum: string }>> {
    const route = kind === 'asset' ? `/api/v1/data/${id}` : `/api/v1/commodities/${id}/data`;
    const closes = new Map<string, string[]>();
    let token: string | null = null;
    do {
      const response = await api.http
        .get(route)
        .query({ limit: '5000', ...(token === null ? {} : { page_token: token }) });
      expect(response.status).toBe(200);
      const page = response.body as { items: { ts: string; price: string }[]; next_page_token: string | null };
      for (const item of page.items) {
        const month = item.ts.slice(0, 7);
        closes.set(month, [...(closes.get(month) ?? []), item.price]);
      }
      token = page.next_page_token;
    } while (token !== null);
    return new Map([...closes].map(([month, texts]) => [month, { rows: texts.length, sum: exactSum(texts) }]));
  }

  async function expectLakeEqualsApi(): Promise<void> {
    const lakeRows = await duckdbRows(
      `SELECT kind, id, month, count(*) AS n, sum(close) AS s FROM read_parquet('${out}/**/*.parquet', hive_partitioning = true) GROUP BY ALL ORDER BY ALL`,
    );
    const expected: string[] = [];
    for (const { kind, id } of SERIES) {
      for (const [month, { rows, sum }] of await apiMonths(kind, id))
        expected.push(`${kind} ${id} ${month} ${rows} ${sum}`);
    }
    const actual = lakeRows.map(
      (row) =>
        `${String(row.kind)} ${String(row.id)} ${String(row.month)} ${String(row.n)} ${canonicalDecimal(String(row.s))}`,
    );
    expect(actual.sort()).toEqual(expected.sort());
  }

  const fileStamps = () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(out, MANIFEST_FILE), 'utf8')) as LakeManifest;
    return Object.fromEntries(
      Object.entries(manifest.partitions).map(([key, partition]) => [
        key,
        `${partition.sha256} ${fs.statSync(path.join(out, partition.file)).mtimeMs}`,
      ]),
    );
  };

  it('holds exactly what the API serves: count(*) and sum(close) per series and month', async () => {
    const summary = await exportLake();
    // 7,000 bars every 17 minutes from 3 Jan 2025: January, February and March.
    expect(summary).toMatchObject({ series: 3, written: 9, unchanged: 0, rows: 21_000 });
    await expectLakeEqualsApi();
    const manifest = JSON.parse(fs.readFileSync(path.join(out, MANIFEST_FILE), 'utf8')) as LakeManifest;
    const february = manifest.partitions['kind=asset/id=LAKEA/month=2025-02'];
    expect(february).toMatchObject({
      kind: 'asset',
      id: 'LAKEA',
      month: '2025-02',
      file: 'kind=asset/id=LAKEA/month=2025-02/data.parquet',
    });
    expect(february?.first_ts.startsWith('2025-02-01T')).toBe(true);
    expect(february?.last_ts.startsWith('2025-02-28T')).toBe(true);
  }, 120_000);

  it('rewrites only the partitions that new bars touched, and nothing on a run with no change', async () => {
    const before = fileStamps();
    expect(await exportLake()).toMatchObject({ written: 0, unchanged: 9 });
    expect(fileStamps()).toEqual(before);
    // New bars in LAKEB's February and in a month the lake did not have yet (April).
    await writer.write(
      'asset',
      'LAKEB',
      'late',
      [
        { ts: new Date('2025-02-14T12:00:30Z'), price: '1.00000000000000000001', volume: 1 },
        { ts: new Date('2025-04-02T09:00:00Z'), price: '42', volume: 2 },
      ],
      parseTimeZone('UTC'),
    );
    // LAKEB February rewritten, April new; the other eight partitions untouched.
    expect(await exportLake()).toMatchObject({ written: 2, unchanged: 8 });
    const after = fileStamps();
    const changed = Object.keys(after).filter((key) => after[key] !== before[key]);
    expect(changed.sort()).toEqual(['kind=asset/id=LAKEB/month=2025-02', 'kind=asset/id=LAKEB/month=2025-04']);
    await expectLakeEqualsApi();
    // No temporary file is left behind.
    const leftovers = fs.readdirSync(out, { recursive: true }).filter((name) => String(name).endsWith('.tmp'));
    expect(leftovers).toEqual([]);
  }, 120_000);
});
