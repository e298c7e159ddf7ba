/**
 * Opt-in (npm run test:export-memory): the API streams an export of >= 2,000,000 rows in
 * constant memory. Seeds EXPORT_MEMORY_ROWS one-minute bars over four assets straight into a
 * scratch keyspace with the driver's executeConcurrent, starts the built API as its own
 * process, downloads `GET /api/v1/bars?symbols=...` as CSV and as Parquet to the end, and
 * samples the API's VmRSS every 20 ms while each streams. Fails (exit 1) when the RSS is not
 * flat (the last quarter of a download peaks more than EXPORT_MEMORY_GROWTH_MB, default 16,
 * above the first), when a peak passes EXPORT_MEMORY_RSS_MB (default 300, a generous
 * ceiling), or when a row count is not exact. Too slow for `npm test` on
 * a 2-core machine (see docs/exports.md for its time), hence a script of its own.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, concurrent } from 'cassandra-driver';
import { bucketOf, clientOptions } from '@market/cassandra';
import { retriedKeyspace } from '../support/retried-keyspace';
import { setUpCassandraForTests, tearDownCassandraForTests } from '../../scripts/cassandra/cassandra-for-runs';
import { duckdbRows } from '../support/duckdb';
import { appEnvironment, appNodeFlags } from '../../scripts/app-node-flags';

const ROOT = path.resolve(__dirname, '..', '..');
const ROWS = Number(process.env.EXPORT_MEMORY_ROWS ?? 2_000_000);
/** A generous ceiling (the API idles at ~160 MB): bench:read (h) holds the 250 MB target, on 98,280 rows. */
const RSS_BOUND_MB = Number(process.env.EXPORT_MEMORY_RSS_MB ?? 300);
/** Flat: the last quarter of the download peaks at most this much above the first quarter. */
const FLAT_GROWTH_MB = Number(process.env.EXPORT_MEMORY_GROWTH_MB ?? 16);
const PORT = Number(process.env.EXPORT_MEMORY_PORT ?? 18_391);
const ASSETS = ['MEMA', 'MEMB', 'MEMC', 'MEMD'];
const START = Date.parse('2022-01-01T00:00:00Z');
const MINUTE = 60_000;

function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? Number.NaN) / 1024;
}

function* bars(): Generator<unknown[]> {
  const perAsset = Math.ceil(ROWS / ASSETS.length);
  for (const [index, asset] of ASSETS.entries()) {
    const count = Math.min(perAsset, ROWS - index * perAsset);
    for (let minute = 0; minute < count; minute += 1) {
      const ts = new Date(START + minute * MINUTE);
      const cents = 10_000 + ((minute * 7919) % 90_000);
      const price = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
      yield [asset, bucketOf(ts), ts, price, price, price, price, minute, 'synthetic'];
    }
  }
}

/** The highest of each quarter of the samples, in order: flat means the last is no higher than the first. */
function quarterPeaks(samples: readonly number[]): number[] {
  return [0, 1, 2, 3].map((quarter) =>
    Math.max(
      ...samples.slice(
        Math.floor((quarter * samples.length) / 4),
        Math.max(Math.floor(((quarter + 1) * samples.length) / 4), Math.floor((quarter * samples.length) / 4) + 1),
      ),
    ),
  );
}

/** Downloads to the end, sampling the API's RSS; returns the peak, each quarter's peak, and the seconds. */
async function streamed(
  url: string,
  apiPid: number,
  consume: (chunk: Uint8Array) => void,
): Promise<{ peakMb: number; quartersMb: number[]; seconds: number; baseMb: number }> {
  const baseMb = rssMb(apiPid);
  const samples: number[] = [];
  const sampler = setInterval(() => samples.push(rssMb(apiPid)), 20);
  const started = performance.now();
  try {
    const response = await fetch(url);
    if (!response.ok || response.body === null) throw new Error(`${url} answered ${response.status}`);
    for await (const chunk of response.body) consume(chunk as Uint8Array);
  } finally {
    clearInterval(sampler);
  }
  samples.push(rssMb(apiPid));
  return {
    peakMb: Math.max(baseMb, ...samples),
    quartersMb: quarterPeaks(samples),
    seconds: (performance.now() - started) / 1000,
    baseMb,
  };
}

/** "peak 207 MB (by quarter of the download: 190 / 201 / 207 / 204)". */
function peakText(download: { peakMb: number; quartersMb: number[] }): string {
  return `peak ${download.peakMb.toFixed(0)} MB (by quarter of the download: ${download.quartersMb.map((mb) => mb.toFixed(0)).join(' / ')})`;
}

/** What a download's RSS did wrong: passed the ceiling, or grew along the download instead of staying flat. */
function rssFailures(label: string, download: { peakMb: number; quartersMb: number[] }): string[] {
  const failures: string[] = [];
  if (download.peakMb > RSS_BOUND_MB) {
    failures.push(`${label}: peak RSS ${download.peakMb.toFixed(0)} MB > ${RSS_BOUND_MB}`);
  }
  const growth = (download.quartersMb.at(-1) ?? 0) - (download.quartersMb[0] ?? 0);
  if (growth > FLAT_GROWTH_MB) {
    failures.push(
      `${label}: RSS grew ${growth.toFixed(0)} MB from the first quarter to the last (> ${FLAT_GROWTH_MB})`,
    );
  }
  return failures;
}

async function main(): Promise<number> {
  const began = performance.now();
  await setUpCassandraForTests();
  const keyspace = await retriedKeyspace('export_memory');
  const client = new Client(clientOptions(keyspace.config));
  let api: ChildProcess | null = null;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'export-memory-'));
  const failures: string[] = [];
  try {
    await client.connect();
    const ks = keyspace.config.keyspace;
    for (const asset of ASSETS) {
      await client.execute(
        `INSERT INTO ${ks}.assets (asset_id, symbol, name, meta) VALUES (?, ?, ?, ?)`,
        [asset, asset, asset, { interval: '1m' }],
        { prepare: true },
      );
    }
    let seeded = performance.now();
    const result = await concurrent.executeConcurrent(
      client,
      `INSERT INTO ${ks}.asset_timeseries (asset_id, bucket, ts, price, open, high, low, volume, source_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      Readable.from(bars()),
      { concurrencyLevel: 64, collectResults: false },
    );
    if (result.errors.length > 0) throw new Error(`${result.errors.length} inserts failed`);
    seeded = (performance.now() - seeded) / 1000;
    console.log(`seeded ${result.totalExecuted} bars over ${ASSETS.length} assets in ${seeded.toFixed(1)} s`);

    const build = spawnSync('npx', ['nest', 'build', 'api'], { cwd: ROOT, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}${build.stderr}`);
    // As `npm run start:api` starts it (GC flags included): the bound is on what users run.
    api = spawn(process.execPath, [...appNodeFlags('start:api', 'dist/apps/api/main.js'), 'dist/apps/api/main.js'], {
      cwd: ROOT,
      env: {
        ...process.env,
        ...appEnvironment('start:api', 'dist/apps/api/main.js'),
        CASSANDRA_KEYSPACE: ks,
        HOST: '127.0.0.1',
        PORT: String(PORT),
        PAGE_TOKEN_SECRET: 'export-memory-page-token-secret-0123456789',
        AUTH_ENABLED: 'false',
        RATE_LIMIT_PER_MINUTE: '0',
        RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '0',
      },
      stdio: 'ignore',
    });
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (api.exitCode !== null) throw new Error('the API exited during start-up');
      if (Date.now() > deadline) throw new Error('the API did not become ready');
      if (
        await fetch(`http://127.0.0.1:${PORT}/health/ready`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      await sleep(300);
    }
    const pid = api.pid ?? 0;
    const url = (format: string) =>
      `http://127.0.0.1:${PORT}/api/v1/bars?symbols=${ASSETS.join(',')}&from=2022-01-01&to=2030-01-01&format=${format}`;

    let lines = 0;
    const csv = await streamed(url('csv'), pid, (chunk) => {
      for (const byte of chunk) if (byte === 10) lines += 1;
    });
    console.log(
      `CSV: ${lines - 1} rows in ${csv.seconds.toFixed(1)} s; API RSS ${csv.baseMb.toFixed(0)} MB before, ${peakText(csv)}; bound ${RSS_BOUND_MB}, growth ${FLAT_GROWTH_MB}`,
    );
    if (lines - 1 !== ROWS) failures.push(`CSV held ${lines - 1} rows, not ${ROWS}`);
    failures.push(...rssFailures('CSV', csv));

    const file = path.join(scratch, 'bars.parquet');
    const sink = fs.createWriteStream(file);
    const parquet = await streamed(url('parquet'), pid, (chunk) => sink.write(chunk));
    await new Promise((resolve) => sink.end(resolve));
    const [count] = await duckdbRows(`SELECT count(*) AS n, count(DISTINCT symbol) AS s FROM read_parquet('${file}')`);
    console.log(
      `Parquet: ${String(count?.n)} rows (${(fs.statSync(file).size / 1e6).toFixed(1)} MB) in ${parquet.seconds.toFixed(1)} s; API RSS ${peakText(parquet)}`,
    );
    if (Number(count?.n) !== ROWS) failures.push(`Parquet held ${String(count?.n)} rows, not ${ROWS}`);
    if (Number(count?.s) !== ASSETS.length) failures.push(`Parquet held ${String(count?.s)} symbols`);
    failures.push(...rssFailures('Parquet', parquet));
  } finally {
    api?.kill('SIGTERM');
    await client.shutdown();
    await keyspace.drop();
    fs.rmSync(scratch, { recursive: true, force: true });
    await tearDownCassandraForTests();
  }
  console.log(
    `total ${((performance.now() - began) / 1000).toFixed(0)} s, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  for (const failure of failures) console.error(`FAIL ${failure}`);
  console.log(`${failures.length === 0 ? 1 : 0} passed, ${failures.length === 0 ? 0 : 1} failed`);
  return failures.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
