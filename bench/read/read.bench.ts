/**
 * npm run bench:read — the read path measured side by side in one run, on real Cassandra:
 *   (a) the raw cassandra-driver draining one month of one-minute bars of one asset
 *       (390 bars x 21 trading days = 8,190 rows) in pages of 1,000;
 *   (b) the same drain through the HTTP API (the built app, in its own process);
 *   (c) the API's first page (limit 100) under load, (c′) the floor server's, and (i) the
 *       API's latest quote and /health/live under the same load (small-requests.phase.ts);
 *   (d) the drain of (b) through the floor server (floor-server.ts): the same reads, tokens
 *       and JSON with no framework around them, each next page read and rendered ahead;
 *       what (b) comes to on this machine when the server does only the work it must.
 *   (e) a year of one-minute bars (98,280) read as `1d` through the API: served from the
 *       daily rollups (rollup.phase.ts);
 *   (f) the raw driver draining that year's base rows;
 *   (g) the month of (a) read as `5m` bars through the API (1,638 bars aggregated on the fly
 *       from the 8,190 base rows), timed alternately with (a), (b) and (d).
 *   (j) a coverage report of XNYS's 2024 sessions of minutes (coverage.phase.ts) against
 *   (k) a `1d` read of the same series and year, both through the API.
 *   (h) that year exported whole through the API as CSV and as Parquet (export.phase.ts),
 *       with the API's peak RSS while it streams them.
 *   (l) the drain of (b) with `adjustment=all` (adjustment.phase.ts), against (b) raw.
 * Targets (issue #3): (b)/(a) <= 1.25 and p99 <= 3 x p50 in (c); (issue #21) (f)/(e) >= 20
 * and (g)/(a) <= 1.3; (issue #25) (c)/(c′) >= 0.8 and (b)/(d) <= 1.1;
 * (issue #23) (h)/(f) <= 1.5 for CSV and <= 2 for Parquet, the API's peak RSS in (h) < 250 MB.
 * BENCH_READ_SMALL_ONLY=1 runs (c), (c′) and (i) alone (no drains, no year), for profiling;
 * BENCH_LOAD_ONLY=c keeps only the loads whose label starts with "(c" (the first pages).
 * BENCH_READ_PHASES=j,k runs only the named phases and the seeds they need (so far: j and k,
 * together, or h alone).
 * Uses CASSANDRA_CONTACT_POINTS if set, else the project's provisioned test node.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, concurrent } from 'cassandra-driver';
import { type PricePointInput, bucketOf, clientOptions, consistencyCode } from '@market/cassandra';
import { apiKeyHash, issueApiKeys } from '@market/auth';
import { migratedKeyspace } from '../../scripts/cassandra/scratch-keyspace';
import { setUpCassandraForTests, tearDownCassandraForTests } from '../../scripts/cassandra/cassandra-for-runs';
import { nodetool } from '../../scripts/cassandra/node-process';
import { median } from '../median';
import { cpuMsSince, localCassandraPid, processCpuMs, waitUntilQuiet } from '../cpu-time';
import { singleNodeSpec } from '../../scripts/cassandra/node-spec';
import { appEnvironment, appNodeFlags } from '../../scripts/app-node-flags';
import { insertInto } from '../ingest/raw-driver.phase';
import { YEAR_ASSET, rawYearDrain, seedYear, timeYearReads } from './rollup.phase';
import { COVERAGE_ASSET, type CoverageReadResult, seedCoverageYear, timeCoverageReads } from './coverage.phase';
import { smallRequestLines, timeSmallRequests } from './small-requests.phase';
import { seedActions, timeAdjustedDrains } from './adjustment.phase';
import { type ExportReadResult, timeExports } from './export.phase';

const ROOT = path.resolve(__dirname, '..', '..');
/** Started as `npm run start:api` starts it, GC flags included. */
const API_ENTRY = 'dist/apps/api/main.js';
const ASSET = 'BENCH';
const PAGE = 1000;
const RUNS = 25;
const WARM_UP_RUNS = Number(process.env.BENCH_WARM_UP_RUNS ?? 10);
const NODE_WARM_UP_MS = Number(process.env.BENCH_NODE_WARM_UP_SECONDS ?? 20) * 1000;
const API_PORT = Number(process.env.BENCH_API_PORT ?? 18080);
const FLOOR_PORT = API_PORT + 1;
const PAGE_TOKEN_SECRET = 'bench-page-token-secret-0123456789abcdef';
const SMALL_ONLY = process.env.BENCH_READ_SMALL_ONLY === '1';
/** BENCH_READ_PHASES=j,k or h: only these phases (letters), and only the seeds they need. */
const ONLY_PHASES = process.env.BENCH_READ_PHASES?.split(',').map((letter) => letter.trim());
const COVERAGE_PHASES_ONLY = ONLY_PHASES?.every((letter) => ['j', 'k'].includes(letter)) ?? false;
const EXPORT_PHASE_ONLY = ONLY_PHASES?.every((letter) => letter === 'h') ?? false;
if (ONLY_PHASES !== undefined && !COVERAGE_PHASES_ONLY && !EXPORT_PHASE_ONLY) {
  throw new Error(`BENCH_READ_PHASES=${ONLY_PHASES.join(',')}: only "j,k" (or either) or "h" run alone`);
}

type Side = 'raw' | 'http' | 'floor' | 'fiveMinute';

interface Drain {
  readonly run: () => Promise<number>;
  /** The process serving this side's pages; null for the raw driver, which reads in this one. */
  readonly serverPid: number | null;
}

/** CPU milliseconds per drain, by process; null where the process cannot be measured. */
interface DrainCpu {
  readonly client: number;
  readonly server: number | null;
  readonly cassandra: number | null;
}

interface SideResult {
  readonly ms: number;
  readonly rows: number;
  readonly cpu: DrainCpu;
}

function tradingDaysOfAugust2025(): string[] {
  const days: string[] = [];
  for (let day = 1; days.length < 21; day += 1) {
    const date = new Date(Date.UTC(2025, 7, day));
    if (date.getUTCDay() !== 0 && date.getUTCDay() !== 6) days.push(date.toISOString().slice(0, 10));
  }
  return days;
}

function monthOfMinutes(): PricePointInput[] {
  return tradingDaysOfAugust2025().flatMap((day, dayIndex) =>
    Array.from({ length: 390 }, (_, minute) => ({
      ts: new Date(Date.parse(`${day}T13:30:00Z`) + minute * 60_000),
      price: (180 + ((dayIndex * 390 + minute) % 997) / 100).toFixed(2),
      open: (180 + ((dayIndex * 390 + minute) % 991) / 100).toFixed(2),
      high: (185 + ((dayIndex * 390 + minute) % 500) / 100).toFixed(2),
      low: (175 + ((dayIndex * 390 + minute) % 500) / 100).toFixed(2),
      volume: 1000 + minute,
      sourceId: 'bench',
    })),
  );
}

/**
 * Raw drains, four at a time, for NODE_WARM_UP_MS before anything is timed. A node started
 * for the bench is a fresh JVM: three warm-up drains left its CPU per raw drain at 53-71 ms,
 * twenty seconds of drains (about 600) brought it to 39-41 ms, as on a node that has been
 * serving for a while, which is what both (a) and (b) are meant to be measured against.
 */
async function warmUpNode(rawDrain: () => Promise<number>): Promise<number> {
  let drains = 0;
  const until = performance.now() + NODE_WARM_UP_MS;
  while (performance.now() < until) {
    await Promise.all([rawDrain(), rawDrain(), rawDrain(), rawDrain()]);
    drains += 4;
  }
  return drains;
}

/**
 * Drains each side a few times, untimed: prepares statements, fills caches, gets the
 * servers' JITs going. 30 warm-up drains instead of 3 took the API's CPU per drain from
 * 66-73 to 61-64 ms (with no node warm-up) and left (b)/(a) where it was.
 */
async function warmUp(drains: Record<Side, Drain>): Promise<void> {
  for (let index = 0; index < WARM_UP_RUNS; index += 1) {
    for (const drain of Object.values(drains)) await drain.run();
  }
}

/**
 * Times RUNS drains of (a) and (b) alternately and takes the median of each: the node's JIT,
 * caches and compactions drift during a run, and alternating puts both sides under the same
 * drift instead of handing it all to whichever runs first.
 */
async function timeAlternately(
  drains: Record<Side, Drain>,
  cassandraPid: number | null,
): Promise<Record<Side, SideResult>> {
  const sides = Object.keys(drains) as Side[];
  const times = { raw: [] as number[], http: [] as number[], floor: [] as number[], fiveMinute: [] as number[] };
  const rows = { raw: 0, http: 0, floor: 0, fiveMinute: 0 };
  const noCpuYet = (): { client: number; server: number | null; cassandra: number | null } => ({
    client: 0,
    server: 0,
    cassandra: 0,
  });
  const cpu = { raw: noCpuYet(), http: noCpuYet(), floor: noCpuYet(), fiveMinute: noCpuYet() };
  for (let index = 0; index < RUNS; index += 1) {
    for (const side of sides) {
      const { run, serverPid } = drains[side];
      const [clientBefore, serverBefore, cassandraBefore] = [
        process.cpuUsage(),
        processCpuMs(serverPid),
        processCpuMs(cassandraPid),
      ];
      const started = performance.now();
      rows[side] = await run();
      times[side].push(performance.now() - started);
      const client = process.cpuUsage(clientBefore);
      const used = cpu[side];
      used.client += (client.user + client.system) / 1000;
      used.server = addOrNull(used.server, cpuMsSince(serverPid, serverBefore));
      used.cassandra = addOrNull(used.cassandra, cpuMsSince(cassandraPid, cassandraBefore));
    }
  }
  const perDrain = (total: number | null) => (total === null ? null : total / RUNS);
  const result = (side: Side): SideResult => ({
    ms: median(times[side]),
    rows: rows[side],
    cpu: {
      client: cpu[side].client / RUNS,
      server: perDrain(cpu[side].server),
      cassandra: perDrain(cpu[side].cassandra),
    },
  });
  return { raw: result('raw'), http: result('http'), floor: result('floor'), fiveMinute: result('fiveMinute') };
}

function addOrNull(total: number | null, value: number | null): number | null {
  return total === null || value === null ? null : total + value;
}

/** One row of the CPU table: each process's CPU per drain (ms), and their sum against the drain's wall time. */
function cpuRow(label: string, side: SideResult): string {
  const cell = (value: number | null) => (value === null ? '-' : value.toFixed(1)).padStart(9);
  const { client, server, cassandra } = side.cpu;
  const total = cassandra === null ? null : client + (server ?? 0) + cassandra;
  const cores = total === null ? '' : `  (${(total / side.ms).toFixed(2)} cores over ${side.ms.toFixed(1)} ms)`;
  return `${label.padEnd(20)}${cell(client)}${cell(server)}${cell(cassandra)}${cell(total)}${cores}`;
}

/** The SSTables column of `nodetool tablehistograms` at p50 and p99. */
function sstablesPerRead(histograms: string): string {
  const column = (percentile: string) =>
    histograms
      .split('\n')
      .find((line) => line.startsWith(percentile))
      ?.trim()
      .split(/\s+/)[3] ?? '?';
  return `${column('50%')}/${column('99%')}`;
}

async function waitUntilReady(child: ChildProcess, name: string, url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the ${name} exited during start-up`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await sleep(300);
  }
  throw new Error(`the ${name} did not become ready`);
}

/** Follows next_page_token from the first page to the last, as a client would; returns the rows read. */
async function drainThrough(firstPage: string, apiKey: string): Promise<number> {
  let rows = 0;
  let token: string | null = null;
  do {
    const response = await fetch(token === null ? firstPage : `${firstPage}&page_token=${encodeURIComponent(token)}`, {
      headers: { 'X-API-Key': apiKey },
    });
    const body = (await response.json()) as { items: unknown[]; next_page_token: string | null };
    rows += body.items.length;
    token = body.next_page_token;
  } while (token !== null);
  return rows;
}

async function main(): Promise<void> {
  const source = await setUpCassandraForTests();
  const keyspace = await migratedKeyspace('bench_read');
  const points = monthOfMinutes();
  const client = new Client(clientOptions(keyspace.config));
  let api: ChildProcess | null = null;
  let floor: ChildProcess | null = null;
  try {
    await client.connect();
    // Keyspace-qualified, as the apps' statements: see raw-driver.phase.ts.
    const table = `${keyspace.config.keyspace}.asset_timeseries`;
    await concurrent.executeConcurrent(
      client,
      insertInto(keyspace.config.keyspace),
      points.map((point) => [
        ASSET,
        bucketOf(point.ts),
        point.ts,
        point.price,
        point.open,
        point.high,
        point.low,
        point.volume,
        point.sourceId,
      ]),
      { concurrencyLevel: 64, collectResults: false },
    );
    await client.execute(
      `INSERT INTO ${keyspace.config.keyspace}.assets (asset_id, symbol, name, meta) VALUES (?, ?, ?, ?)`,
      [ASSET, ASSET, 'Benchmark asset', { interval: '1m' }],
      { prepare: true },
    );
    const last = points.at(-1);
    if (last !== undefined) {
      await client.execute(
        `INSERT INTO ${keyspace.config.keyspace}.latest_quote_by_asset (asset_id, ts, price, open, high, low, volume, bucket, source_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [ASSET, last.ts, last.price, last.open, last.high, last.low, last.volume, bucketOf(last.ts), last.sourceId],
        { prepare: true },
      );
    }
    console.log(`seeded ${points.length} one-minute bars of ${ASSET} for August 2025`);
    console.log(`seeded ${await seedActions(client, keyspace.config.keyspace, ASSET)} corporate actions of ${ASSET}`);
    const yearStarted = performance.now();
    const yearBars = SMALL_ONLY || COVERAGE_PHASES_ONLY ? 0 : await seedYear(keyspace.config);
    if (!SMALL_ONLY) {
      if (!COVERAGE_PHASES_ONLY)
        console.log(
          `seeded ${yearBars} one-minute bars of ${YEAR_ASSET} for 2024 through the series writer (with daily rollups) in ${((performance.now() - yearStarted) / 1000).toFixed(1)} s`,
        );
      if (!EXPORT_PHASE_ONLY) {
        const coverageSeed = await seedCoverageYear(keyspace.config);
        console.log(
          `seeded ${coverageSeed.bars} one-minute bars of ${COVERAGE_ASSET} (XNYS 2024, ${coverageSeed.partial} partial sessions)`,
        );
      }
    }
    if (source === 'provisioned')
      nodetool(singleNodeSpec('test'), ['flush', keyspace.config.keyspace, 'asset_timeseries']);

    const select = `SELECT ts, price, open, high, low, volume, source_id FROM ${table} WHERE asset_id = ? AND bucket = ? AND ts >= ? AND ts <= ?`;
    const from = new Date('2025-08-01T00:00:00.000Z');
    const to = new Date('2025-08-31T23:59:59.999Z');
    const rawDrain = async () => {
      let rows = 0;
      let pageState: string | undefined;
      do {
        const result = await client.execute(select, [ASSET, '2025-08', from, to], {
          prepare: true,
          fetchSize: PAGE,
          consistency: consistencyCode(keyspace.config.readConsistency),
          isIdempotent: true,
          ...(pageState === undefined ? {} : { pageState }),
        });
        rows += result.rowLength;
        pageState = result.pageState ?? undefined;
      } while (pageState !== undefined);
      return rows;
    };

    const {
      entries,
      keys: { bench: apiKey },
    } = issueApiKeys({ bench: ['read:data'] });
    const apiKeysFile = path.join(mkdtempSync(path.join(tmpdir(), 'bench-keys-')), 'api-keys.json');
    writeFileSync(apiKeysFile, JSON.stringify({ keys: entries }), { mode: 0o600 });
    console.log(`warmed the node up with ${await warmUpNode(rawDrain)} raw drains`);
    console.log('building and starting the API');
    const build = spawnSync('npx', ['nest', 'build', 'api'], { cwd: ROOT, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}${build.stderr}`);
    // BENCH_API_PROFILE_DIR=<dir> writes a V8 CPU profile of the API process there (open it in Chrome DevTools).
    const profile = process.env.BENCH_API_PROFILE_DIR;
    const nodeFlags = profile === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profile}`];
    api = spawn(process.execPath, [...appNodeFlags('start:api', API_ENTRY), ...nodeFlags, API_ENTRY], {
      cwd: ROOT,
      env: {
        ...process.env,
        ...appEnvironment('start:api', API_ENTRY),
        CASSANDRA_KEYSPACE: keyspace.config.keyspace,
        HOST: '127.0.0.1',
        PORT: String(API_PORT),
        PAGE_TOKEN_SECRET,
        // Auth on, as in production: every request is checked against an API key.
        AUTH_API_KEYS_FILE: apiKeysFile,
        // The load phase is one client firing thousands of requests: no per-client limit here.
        RATE_LIMIT_PER_MINUTE: '0',
      },
      stdio: 'ignore',
    });
    await waitUntilReady(api, 'API', `http://127.0.0.1:${API_PORT}/health/ready`);
    floor = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'floor-server.ts')], {
      cwd: ROOT,
      env: {
        ...process.env,
        CASSANDRA_KEYSPACE: keyspace.config.keyspace,
        FLOOR_PORT: String(FLOOR_PORT),
        FLOOR_PAGE_TOKEN_SECRET: PAGE_TOKEN_SECRET,
        FLOOR_API_KEY_SHA256: apiKeyHash(apiKey),
      },
      stdio: 'ignore',
    });
    await waitUntilReady(floor, 'floor server', `http://127.0.0.1:${FLOOR_PORT}/ready`);
    const query = `/api/v1/data/${ASSET}?from=2025-08-01&to=2025-08-31&limit=${PAGE}`;
    const httpDrain = () => drainThrough(`http://127.0.0.1:${API_PORT}${query}`, apiKey);
    const floorDrain = () => drainThrough(`http://127.0.0.1:${FLOOR_PORT}${query}`, apiKey);
    const fiveMinuteDrain = () => drainThrough(`http://127.0.0.1:${API_PORT}${query}&timeframe=5m`, apiKey);
    const drains: Record<Side, Drain> = {
      raw: { run: rawDrain, serverPid: null },
      http: { run: httpDrain, serverPid: api.pid ?? null },
      floor: { run: floorDrain, serverPid: floor.pid ?? null },
      fiveMinute: { run: fiveMinuteDrain, serverPid: api.pid ?? null },
    };
    const apiBase = `http://127.0.0.1:${API_PORT}`;
    const firstPage = `/api/v1/data/${ASSET}?from=2025-08-01&to=2025-08-31&limit=100`;
    const smallRequests = [
      { label: '(c) API first page', url: `${apiBase}${firstPage}`, serverPid: api.pid ?? null },
      {
        label: "(c') floor first page",
        url: `http://127.0.0.1:${FLOOR_PORT}${firstPage}`,
        serverPid: floor.pid ?? null,
      },
      { label: '(i) API latest quote', url: `${apiBase}/api/v1/quotes/${ASSET}/latest`, serverPid: api.pid ?? null },
      { label: '(i) API /health/live', url: `${apiBase}/health/live`, serverPid: api.pid ?? null },
    ];
    if (SMALL_ONLY) {
      const only = process.env.BENCH_LOAD_ONLY;
      const chosen = smallRequests.filter(({ label }) => only === undefined || label.startsWith(`(${only}`));
      for (const line of smallRequestLines(await timeSmallRequests(chosen, apiKey))) console.log(line);
      return;
    }
    const timeCoverageYear = () =>
      timeCoverageReads(
        async () => {
          const response = await fetch(
            `http://127.0.0.1:${API_PORT}/api/v1/data/${COVERAGE_ASSET}/coverage?from=2024-01-01&to=2024-12-31`,
            { headers: { 'X-API-Key': apiKey } },
          );
          return ((await response.json()) as { totals: { sessions: number } }).totals.sessions;
        },
        () =>
          drainThrough(
            `http://127.0.0.1:${API_PORT}/api/v1/data/${COVERAGE_ASSET}?from=2024-01-01&to=2024-12-31&timeframe=1d&limit=${PAGE}`,
            apiKey,
          ),
      );

    if (COVERAGE_PHASES_ONLY) {
      const timed = await timeCoverageYear();
      for (const line of coverageLines(timed)) console.log(line);
      return;
    }
    const cassandraPid = localCassandraPid(keyspace.config.contactPoints);
    const timeYearExports = () =>
      timeExports(
        (format) =>
          `http://127.0.0.1:${API_PORT}/api/v1/data/${YEAR_ASSET}?from=2024-01-01&to=2024-12-31&format=${format}`,
        apiKey,
        api?.pid ?? 0,
        cassandraPid,
        rawYearDrain(client, keyspace.config),
      );
    if (EXPORT_PHASE_ONLY) {
      const exports = await timeYearExports();
      for (const line of exportLines(exports)) console.log(line);
      if (exports.rawRows !== yearBars) throw new Error(`(f) drained ${exports.rawRows} of ${yearBars} rows`);
      return;
    }
    await warmUp(drains);
    // A node started moments ago is still compiling and compacting after the seed's flush:
    // that CPU would be taken from whichever side runs on it, most from (b) and (d), which
    // need all of this machine's CPU. bench:ingest waits the same way between its phases.
    const waited = await waitUntilQuiet(cassandraPid);
    if (waited !== null) console.log(`the node went quiet after ${(waited / 1000).toFixed(1)} s`);
    const { raw, http, floor: floorTime, fiveMinute } = await timeAlternately(drains, cassandraPid);
    const small = await timeSmallRequests(smallRequests, apiKey);
    const [firstPages, floorFirstPages] = small.figures;
    const year = await timeYearReads(
      () =>
        drainThrough(
          `http://127.0.0.1:${API_PORT}/api/v1/data/${YEAR_ASSET}?from=2024-01-01&to=2024-12-31&timeframe=1d&limit=${PAGE}`,
          apiKey,
        ),
      rawYearDrain(client, keyspace.config),
    );
    const exports = await timeYearExports();

    const coverageYear = await timeCoverageYear();
    const adjusted = await timeAdjustedDrains(httpDrain, () =>
      drainThrough(`http://127.0.0.1:${API_PORT}${query}&adjustment=all`, apiKey),
    );
    // nodetool reaches only the node this project provisioned (its JMX port is known).
    const sstables =
      source === 'provisioned'
        ? sstablesPerRead(
            nodetool(singleNodeSpec('test'), ['tablehistograms', keyspace.config.keyspace, 'asset_timeseries']),
          )
        : 'n/a (not the provisioned node; run nodetool tablehistograms on the cluster)';
    const ratio = http.ms / raw.ms;
    const tail = (firstPages?.p99 ?? Number.NaN) / (firstPages?.p50 ?? Number.NaN);
    console.log(
      '\nread benchmark (median of %d drains each, (a), (b) and (d) alternating, after %d warm-up drains each; one run, same machine)',
      RUNS,
      WARM_UP_RUNS,
    );
    console.log(
      `(a) raw driver drain      ${raw.rows} rows  ${raw.ms.toFixed(1)} ms  ${Math.round(raw.rows / (raw.ms / 1000))} rows/s`,
    );
    console.log(
      `(b) HTTP API drain        ${http.rows} rows  ${http.ms.toFixed(1)} ms  ${Math.round(http.rows / (http.ms / 1000))} rows/s`,
    );
    console.log(
      `(d) floor server drain    ${floorTime.rows} rows  ${floorTime.ms.toFixed(1)} ms  ${Math.round(floorTime.rows / (floorTime.ms / 1000))} rows/s`,
    );
    console.log(
      `(e) a year as 1d, API     ${year.dailyBars} bars  ${year.dailyMs.toFixed(1)} ms  (from the daily rollups; median of 9)`,
    );
    console.log(
      `(f) raw drain of the year ${year.rawRows} rows  ${year.rawMs.toFixed(1)} ms  ${Math.round(year.rawRows / (year.rawMs / 1000))} rows/s (median of 9)`,
    );
    console.log(
      `(g) the month as 5m, API  ${fiveMinute.rows} bars  ${fiveMinute.ms.toFixed(1)} ms  (from ${points.length} base rows, aggregated on the fly)`,
    );
    for (const line of coverageLines(coverageYear)) console.log(line);
    console.log(
      `(l) adjustment=all drain  ${adjusted.rows} rows  ${adjusted.adjustedMs.toFixed(1)} ms against ${adjusted.rawMs.toFixed(1)} ms raw ` +
        `(ratio ${(adjusted.adjustedMs / adjusted.rawMs).toFixed(2)}; median of 9 each, alternating; load average ${loadavg()
          .map((load) => load.toFixed(2))
          .join(' ')})`,
    );
    for (const line of smallRequestLines(small)) console.log(line);
    console.log(`\nCPU per drain (ms)      client   server  Cassandra   total`);
    console.log(cpuRow('(a) raw driver', raw));
    console.log(cpuRow('(b) HTTP API', http));
    console.log(cpuRow('(d) floor server', floorTime));
    console.log(cpuRow('(g) 5m bars, API', fiveMinute));
    console.log(`sstables per read (p50/p99, after a flush): ${sstables}`);
    console.log(`ratio (b)/(a) = ${ratio.toFixed(2)}  (target <= 1.25)`);
    console.log(`ratio p99/p50 = ${tail.toFixed(2)}  (target <= 3)`);
    console.log(
      `ratio (d)/(a) = ${(floorTime.ms / raw.ms).toFixed(2)}  (the floor: the same drain without the framework)`,
    );
    console.log(`ratio (b)/(d) = ${(http.ms / floorTime.ms).toFixed(2)}  (target <= 1.1)`);
    console.log(
      `ratio (c)/(c') = ${small.firstRatio.toFixed(2)}  (target >= 0.8; req/s ${Math.round(firstPages?.requestsPerSecond ?? 0)} / ${Math.round(floorFirstPages?.requestsPerSecond ?? 0)})`,
    );
    console.log(`ratio (f)/(e) = ${(year.rawMs / year.dailyMs).toFixed(1)}  (target >= 20)`);
    console.log(`ratio (g)/(a) = ${(fiveMinute.ms / raw.ms).toFixed(2)}  (target <= 1.3)`);
    for (const line of exportLines(exports)) console.log(line);
    if (year.rawRows !== yearBars || year.dailyBars !== 252) {
      throw new Error(`the year's drains returned ${year.rawRows} rows and ${year.dailyBars} daily bars`);
    }
    if ([raw, http, floorTime].some((side) => side.rows !== points.length)) {
      throw new Error('a drain did not return every row');
    }
    if (fiveMinute.rows !== points.length / 5) {
      throw new Error(`the 5m drain returned ${fiveMinute.rows} bars, not ${points.length / 5}`);
    }
  } finally {
    api?.kill('SIGTERM');
    floor?.kill('SIGTERM');
    await client.shutdown();
    await keyspace.drop();
    await tearDownCassandraForTests();
  }
}

/** The lines of (j) and (k), with the load average they were measured under. */
function coverageLines(timed: CoverageReadResult): string[] {
  return [
    `(j) coverage of a year    ${timed.sessions} sessions  ${timed.coverageMs.toFixed(1)} ms  (rollup counts; partial sessions read their base rows; median of 9)`,
    `(k) the same year as 1d   ${timed.dailyBars} bars  ${timed.dailyMs.toFixed(1)} ms  (median of 9); (j)/(k) = ${(timed.coverageMs / timed.dailyMs).toFixed(2)}` +
      `  (load average ${loadavg()
        .map((load) => load.toFixed(2))
        .join(' ')})`,
  ];
}

function cpuFigure(ms: number | null): string {
  return ms === null ? 'n/a' : ms.toFixed(0);
}

/** The lines of (h): both exports against (f), the ratios, and the API's peak RSS. */
function exportLines(exports: ExportReadResult): string[] {
  return [
    `(h) the year as CSV, API     ${(exports.csvBytes / 1e6).toFixed(1)} MB  ${exports.csvMs.toFixed(1)} ms; ` +
      `as Parquet ${(exports.parquetBytes / 1e6).toFixed(1)} MB  ${exports.parquetMs.toFixed(1)} ms; ` +
      `(f) alongside ${exports.rawRows} rows ${exports.rawMs.toFixed(1)} ms (medians of 5)`,
    `    CPU per run (median, ms): ${(['csv', 'parquet', 'raw'] as const)
      .map((side) => `${side} API ${cpuFigure(exports.cpu[side].api)}, node ${cpuFigure(exports.cpu[side].cassandra)}`)
      .join('; ')}`,
    `ratio (h)/(f) CSV = ${(exports.csvMs / exports.rawMs).toFixed(2)}  (target <= 1.5)`,
    `ratio (h)/(f) Parquet = ${(exports.parquetMs / exports.rawMs).toFixed(2)}  (target <= 2)`,
    `API peak RSS during (h) = ${exports.peakRssMb === null ? 'n/a' : exports.peakRssMb.toFixed(0)} MB  (target < 250; ` +
      `${exports.rssBeforeMb === null ? 'n/a' : exports.rssBeforeMb.toFixed(0)} MB just before (h))` +
      `  (load average ${loadavg()
        .map((load) => load.toFixed(2))
        .join(' ')})`,
  ];
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
