import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
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
import type { PricePointJson } from '../support/price-point-json';

/**
 * SPEC §12's lake against real Cassandra: DuckDB over the lake agrees with the API exactly
 * (count and sum(close) per series and month, and row by row), a re-run after new or changed
 * bars rewrites only the partitions those bars touched, and the CLI killed with SIGKILL
 * mid-export and re-run ends with a complete lake and no temporary file.
 */

const ROOT = path.resolve(__dirname, '..', '..');
const ENTRY = path.join(ROOT, 'dist', 'apps', 'ingestor', 'main.js');

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

  type ApiItem = PricePointJson;

  /** The JSON walk of a whole series, ascending. */
  async function apiItems(kind: SeriesKind, id: string): Promise<ApiItem[]> {
    const route = kind === 'asset' ? `/api/v1/data/${id}` : `/api/v1/commodities/${id}/data`;
    const items: ApiItem[] = [];
    let token: string | null = null;
    do {
      const response = await api.http
        .get(route)
        .query({ limit: '5000', ...(token === null ? {} : { page_token: token }) });
      expect(response.status).toBe(200);
      const page = response.body as { items: ApiItem[]; next_page_token: string | null };
      items.push(...page.items);
      token = page.next_page_token;
    } while (token !== null);
    return items;
  }

  async function apiMonths(kind: SeriesKind, id: string): Promise<Map<string, { rows: number; sum: string }>> {
    const closes = new Map<string, string[]>();
    for (const item of await apiItems(kind, id)) {
      const month = item.ts.slice(0, 7);
      closes.set(month, [...(closes.get(month) ?? []), item.price]);
    }
    return new Map([...closes].map(([month, texts]) => [month, { rows: texts.length, sum: exactSum(texts) }]));
  }

  /** Every row of the lake under `root` equals the API's item, digit for digit. */
  async function expectLakeRowsEqualApi(root: string, series: readonly { kind: SeriesKind; id: string }[]) {
    const lakeRows = await duckdbRows(
      `SELECT kind, id, strftime(ts AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%g') || 'Z' AS ts, open, high, low, close, volume, source_id ` +
        `FROM read_parquet('${root}/**/*.parquet', hive_partitioning = true) ORDER BY kind, id, ts`,
    );
    const actual = lakeRows.map((row) =>
      [
        row.kind,
        row.id,
        row.ts,
        canonicalDecimal(row.open as string | null),
        canonicalDecimal(row.high as string | null),
        canonicalDecimal(row.low as string | null),
        canonicalDecimal(row.close as string),
        row.volume === null ? null : String(row.volume as string | number),
        row.source_id,
      ].join(' '),
    );
    const expected: string[] = [];
    for (const { kind, id } of [...series].sort((a, b) => `${a.kind} ${a.id}`.localeCompare(`${b.kind} ${b.id}`))) {
      for (const item of await apiItems(kind, id)) {
        expected.push(
          [
            kind,
            id,
            item.ts,
            canonicalDecimal(item.open),
            canonicalDecimal(item.high),
            canonicalDecimal(item.low),
            canonicalDecimal(item.price),
            item.volume === null ? null : String(item.volume),
            item.source_id,
          ].join(' '),
        );
      }
    }
    expect(actual.length).toBe(expected.length);
    expect(actual).toEqual(expected);
  }

  const temporaries = (root: string) =>
    fs.readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.tmp'));

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

  it('rewrites only the partition whose bars changed, updates the manifest, and equals the warehouse row by row', async () => {
    const manifestBefore = JSON.parse(fs.readFileSync(path.join(out, MANIFEST_FILE), 'utf8')) as LakeManifest;
    const before = fileStamps();
    // Five stored bars of LAKEA's March get new prices (same timestamps: an overwrite, no new row).
    const march = (await apiItems('asset', 'LAKEA')).filter((item) => item.ts.startsWith('2025-03-1')).slice(0, 5);
    expect(march).toHaveLength(5);
    await writer.write(
      'asset',
      'LAKEA',
      'correction',
      march.map((item, index) => ({ ts: new Date(item.ts), price: `7.7${index}000000000000000003`, volume: 9 })),
      parseTimeZone('UTC'),
    );
    const summary = await exportLake();
    expect(summary).toMatchObject({ written: 1, unchanged: 9, removed: 0 });
    const after = fileStamps();
    const changed = Object.keys(after).filter((key) => after[key] !== before[key]);
    expect(changed).toEqual(['kind=asset/id=LAKEA/month=2025-03']);
    const manifest = JSON.parse(fs.readFileSync(path.join(out, MANIFEST_FILE), 'utf8')) as LakeManifest;
    const key = 'kind=asset/id=LAKEA/month=2025-03';
    expect(manifest.partitions[key]?.change_marker).not.toBe(manifestBefore.partitions[key]?.change_marker);
    expect(manifest.partitions[key]?.rows).toBe(manifestBefore.partitions[key]?.rows);
    expect(summary.rows).toBe(manifest.partitions[key]?.rows);
    expect(manifest.updated_at > manifestBefore.updated_at).toBe(true);
    const corrected = await duckdbRows(
      `SELECT close FROM read_parquet('${out}/${key}/data.parquet') WHERE volume = 9 ORDER BY ts`,
    );
    expect(corrected.map((row) => canonicalDecimal(row.close as string))).toEqual(
      march.map((_, index) => `7.7${index}000000000000000003`),
    );
    await expectLakeRowsEqualApi(out, SERIES);
    await expectLakeEqualsApi();
    expect(temporaries(out)).toEqual([]);
  }, 120_000);

  describe('the CLI (npm run export -- lake) killed with SIGKILL mid-export', () => {
    const KILLED = { kind: 'asset', id: 'LAKEKILL' } as const;
    /** 24 monthly partitions, so the kill lands well before the end. */
    const MONTHS = 24;
    let env: NodeJS.ProcessEnv;
    let killedOut: string;

    beforeAll(async () => {
      const build = spawnSync('npx', ['nest', 'build', 'ingestor'], { cwd: ROOT, encoding: 'utf8' });
      if (build.status !== 0) throw new Error(`build failed: ${build.stdout}${build.stderr}`);
      env = { ...process.env, CASSANDRA_KEYSPACE: api.keyspace.config.keyspace, INGESTOR_HOST: '127.0.0.1' };
      await api.app
        .get(CatalogRepository)
        .upsert(KILLED.kind, { id: KILLED.id, symbol: KILLED.id, name: KILLED.id, meta: { interval: '1m' } });
      // A bar every 4 hours and 17 minutes over two years: ~170 bars per month.
      const start = Date.parse('2023-01-01T00:00:00Z');
      const count = Math.floor((MONTHS * 30.4 * 24 * 60) / 257);
      await writer.write(
        KILLED.kind,
        KILLED.id,
        'test',
        Array.from({ length: count }, (_, index) => ({
          ts: new Date(start + index * 257 * MINUTE),
          price: `${100 + (index % 997)}.${String(index % 10_000).padStart(4, '0')}`,
          volume: index,
        })),
        parseTimeZone('UTC'),
      );
      killedOut = fs.mkdtempSync(path.join(os.tmpdir(), 'lake-killed-'));
    }, 300_000);

    afterAll(() => fs.rmSync(killedOut, { recursive: true, force: true }));

    const args = () => ['lake', '--out', killedOut, '--assets', KILLED.id];
    const dataFiles = () =>
      fs.readdirSync(killedOut, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('data.parquet'));

    it('re-runs to a complete, consistent lake with no temporary file left', async () => {
      const child = spawn(process.execPath, [ENTRY, ...args()], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      // Killed once a few partitions are in place: the run is past its start and far from its end.
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline && (!fs.existsSync(killedOut) || dataFiles().length < 3)) await sleep(2);
      child.kill('SIGKILL');
      const signal = await new Promise<NodeJS.Signals | null>((resolve) =>
        child.once('exit', (_code, exitSignal) => resolve(exitSignal)),
      );
      expect(signal).toBe('SIGKILL');
      expect(output).not.toMatch(/partitions written/);
      const partial = JSON.parse(fs.readFileSync(path.join(killedOut, MANIFEST_FILE), 'utf8')) as LakeManifest;
      const vouched = Object.keys(partial.partitions).length;
      expect(vouched).toBeGreaterThan(0);
      expect(vouched).toBeLessThan(MONTHS);
      // Whatever the kill left mid-write (a SIGKILL runs no cleanup), plus the leftovers it
      // could have left had it landed a moment later: a half-written file and manifest.
      const killedPid = String(child.pid);
      fs.mkdirSync(path.join(killedOut, 'kind=asset/id=LAKEKILL/month=2024-12'), { recursive: true });
      fs.writeFileSync(
        path.join(killedOut, `kind=asset/id=LAKEKILL/month=2024-12/data.parquet.${killedPid}.tmp`),
        'PAR1',
      );
      fs.writeFileSync(path.join(killedOut, `${MANIFEST_FILE}.${killedPid}.tmp`), '{"format":');
      expect(temporaries(killedOut).length).toBeGreaterThanOrEqual(2);

      const resumed = spawnSync(process.execPath, [ENTRY, ...args()], {
        cwd: ROOT,
        env,
        encoding: 'utf8',
        timeout: 120_000,
      });
      expect(resumed.stderr).not.toMatch(/error/i);
      expect(resumed.status).toBe(0);
      // Only what the manifest did not vouch for is written again.
      const summary = /1 series, (\d+) partitions written \((\d+) rows, [\d.]+ MB\), (\d+) unchanged, 0 removed/.exec(
        resumed.stdout,
      );
      expect(summary).not.toBeNull();
      expect(Number(summary?.[3])).toBe(vouched);
      expect(Number(summary?.[1])).toBe(MONTHS - vouched);
      expect(temporaries(killedOut)).toEqual([]);
      const manifest = JSON.parse(fs.readFileSync(path.join(killedOut, MANIFEST_FILE), 'utf8')) as LakeManifest;
      expect(Object.keys(manifest.partitions)).toHaveLength(MONTHS);
      expect(dataFiles()).toHaveLength(MONTHS);
      for (const partition of Object.values(manifest.partitions)) {
        const bytes = fs.readFileSync(path.join(killedOut, partition.file));
        expect(createHash('sha256').update(bytes).digest('hex')).toBe(partition.sha256);
      }
      await expectLakeRowsEqualApi(killedOut, [KILLED]);
      // A third run finds nothing to do.
      const again = spawnSync(process.execPath, [ENTRY, ...args()], {
        cwd: ROOT,
        env,
        encoding: 'utf8',
        timeout: 120_000,
      });
      expect(again.stdout).toMatch(new RegExp(`0 partitions written \\(0 rows, 0.0 MB\\), ${MONTHS} unchanged`));
    }, 180_000);
  });
});
