/**
 * npm run bench:ingest — the write path measured side by side in one run, on real Cassandra,
 * for 1,000,000 synthetic one-minute bars across 100 assets (BENCH_POINTS for a quick run),
 * each phase into a fresh keyspace of its own, dropped once the phase is counted:
 *   (a) the raw cassandra-driver: executeConcurrent (64) of single prepared INSERTs;
 *   (b) the ingestor as a user runs it: one process of the built CLI backfilling all 100
 *       assets from its synthetic provider, BENCH_JOBS at a time (`ingestor backfill --asset
 *       BENCH000,... --parallel N`), with the process's peak RSS (ingestor-path.phase.ts);
 *   (c) the server's per-statement ceiling: latte running bench/ingest/insert.rn.
 * Targets (issue #9): (b) >= 3 x (a), (b) >= 1.5 x (c), peak RSS of (b) < 300 MB.
 * The three phases run BENCH_ROUNDS times (3), in alternating order, and the verdicts use
 * the median of each round's ratios: on shared cores one phase alone swung a ratio from
 * 2.2 to 3.2 between runs, and phases run close together share the same neighbours.
 * Uses CASSANDRA_CONTACT_POINTS if set, else the project's provisioned test node (left
 * running if it was running before).
 */
import os from 'node:os';
import type { Client } from 'cassandra-driver';
import { migratedKeyspace } from '../../scripts/cassandra/scratch-keyspace';
import { setUpCassandraForTests, tearDownCassandraForTests } from '../../scripts/cassandra/cassandra-for-runs';
import { runningPid } from '../../scripts/cassandra/node-process';
import { localCassandraPid, waitUntilQuiet } from '../cpu-time';
import { median } from '../median';
import { singleNodeSpec } from '../../scripts/cassandra/node-spec';
import { ASSET_COUNT, type BenchPlan, benchPlan, pointsFromEnv } from './bench-plan';
import { type IngestorPathResult, buildIngestor, ingestorPath, jobsFromEnv } from './ingestor-path.phase';
import { type LatteOutcome, LATTE_CONCURRENCY, latteAssets, latteInserts } from './latte.phase';
import { type PhaseResult, RAW_CONCURRENCY, rawDriverInserts } from './raw-driver.phase';

const WARM_UP_POINTS = 200_000;

type Keyspace = Awaited<ReturnType<typeof migratedKeyspace>>;

const perSecond = (rows: number, ms: number): number => Math.round(rows / (ms / 1000));
const thousands = (value: number): string => value.toLocaleString('en-US');
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const verdict = (met: boolean): string => (met ? 'met' : 'MISSED');
const cores = (cpuMs: number | null, ms: number): string => (cpuMs === null ? 'n/a' : (cpuMs / ms).toFixed(2));
const microsPerRow = (cpuMs: number | null, rows: number): string =>
  cpuMs === null ? 'n/a' : `${((cpuMs * 1000) / rows).toFixed(1)} µs`;

/**
 * How busy each side was, and its CPU per row: on two shared cores this tells which side
 * limits a phase, and CPU per row moves less than rows/s when other work shares the cores.
 */
function cpuLine(client: string, result: PhaseResult): string {
  return (
    `    CPU: ${client} ${cores(result.clientCpuMs, result.ms)} cores, ${microsPerRow(result.clientCpuMs, result.rows)}/row; ` +
    `Cassandra ${cores(result.serverCpuMs, result.ms)} cores, ${microsPerRow(result.serverCpuMs, result.rows)}/row ` +
    `(${os.availableParallelism()} cores in all)`
  );
}

/** Rows actually stored, counted partition by partition (never a table scan). */
async function countRows(admin: Client, assets: readonly string[], buckets: readonly string[]): Promise<number> {
  const select = 'SELECT COUNT(*) AS rows FROM asset_timeseries WHERE asset_id = ? AND bucket = ?';
  let total = 0;
  for (const asset of assets) {
    const counts = await Promise.all(
      buckets.map((bucket) => admin.execute(select, [asset, bucket], { prepare: true, isIdempotent: true })),
    );
    for (const result of counts) total += Number(result.first().get('rows'));
  }
  return total;
}

/**
 * Runs one phase in a fresh keyspace, checks what it stored, and drops the keyspace; then
 * waits for the node to go quiet, so the next phase does not pay for this one's flushes
 * and compactions (on two cores that moved a phase's figure by a fifth).
 */
async function inFreshKeyspace<T>(
  label: string,
  run: (keyspace: Keyspace) => Promise<T>,
  stored: { assets: readonly string[]; buckets: readonly string[]; expected: (result: T) => number | null },
): Promise<T> {
  const keyspace = await migratedKeyspace(label);
  try {
    const result = await run(keyspace);
    const expected = stored.expected(result);
    if (expected !== null) {
      const rows = await countRows(keyspace.admin, stored.assets, stored.buckets);
      if (rows !== expected) throw new Error(`${label}: ${rows} rows stored, ${expected} expected`);
    }
    return result;
  } finally {
    // Dropped at once, so its flushes and compactions never run under the next phase.
    await keyspace.drop();
    const waited = await waitUntilQuiet(localCassandraPid(keyspace.config.contactPoints));
    if (waited !== null && waited > 1500)
      console.log(`    (the node took ${seconds(waited)} to go quiet after ${label})`);
  }
}

function describeTarget(): string {
  const points = process.env.CASSANDRA_CONTACT_POINTS;
  return points === undefined || points === '' ? 'the provisioned test node' : points;
}

interface Round {
  readonly raw: PhaseResult;
  readonly ingest: IngestorPathResult;
  readonly latte: LatteOutcome;
}

/** (b)/(c) of a round, or null when latte could not run. */
function overLatteOf(round: Round): number | null {
  return 'unavailable' in round.latte
    ? null
    : perSecond(round.ingest.rows, round.ingest.ms) / perSecond(round.latte.rows, round.latte.ms);
}

function reportRound(index: number, round: Round): void {
  const { raw, ingest, latte } = round;
  const rawRate = perSecond(raw.rows, raw.ms);
  const ingestRate = perSecond(ingest.rows, ingest.ms);
  console.log(`\nround ${index + 1}`);
  console.log(
    `(a) raw driver: executeConcurrent(${RAW_CONCURRENCY}) of single prepared INSERTs   ` +
      `${thousands(raw.rows)} rows in ${seconds(raw.ms)} = ${thousands(rawRate)} rows/s`,
  );
  console.log(cpuLine('Node client', raw));
  console.log(
    `(b) ingestor CLI: backfill --asset <${ASSET_COUNT} ids> --source synthetic --parallel ${ingest.jobs} (` +
      `WRITE_CONCURRENCY=${ingest.writes.concurrency}, WRITE_BATCH_ROWS=${ingest.writes.batchRows})   ` +
      `${thousands(ingest.rows)} rows in ${seconds(ingest.ms)} = ${thousands(ingestRate)} rows/s, ` +
      `peak RSS ${(ingest.maxRssKb / 1024).toFixed(0)} MB` +
      (ingest.rejected > 0 ? ` (${ingest.rejected} rejected)` : ''),
  );
  console.log(cpuLine('ingestor process (start-up included)', ingest));
  if ('unavailable' in latte) {
    console.log(`(c) unavailable: ${latte.unavailable}`);
  } else {
    console.log(
      `(c) latte (${latte.version}): single-row prepared INSERTs, 1 thread x ${LATTE_CONCURRENCY} in flight   ` +
        `${thousands(latte.rows)} rows in ${seconds(latte.ms)} = ${thousands(perSecond(latte.rows, latte.ms))} rows/s` +
        (latte.errors > 0 ? ` (${latte.errors} errors)` : ''),
    );
    console.log(cpuLine('latte', latte));
  }
  const overLatte = overLatteOf(round);
  console.log(
    `    (b)/(a) = ${(ingestRate / rawRate).toFixed(2)}, (b)/(c) = ${overLatte === null ? 'n/a' : overLatte.toFixed(2)}`,
  );
}

function report(plan: BenchPlan, rounds: readonly Round[]): void {
  console.log(
    `\ningest benchmark: ${thousands(plan.totalPoints)} rows per phase, ${rounds.length} round(s) in alternating order, one run, same node`,
  );
  rounds.forEach((round, index) => reportRound(index, round));
  const rate = (pick: (round: Round) => PhaseResult) =>
    thousands(Math.round(median(rounds.map((round) => perSecond(pick(round).rows, pick(round).ms)))));
  const latteRuns = rounds.flatMap((round) => ('unavailable' in round.latte ? [] : [round.latte]));
  const latteRate =
    latteRuns.length === 0 ? 'n/a' : thousands(Math.round(median(latteRuns.map((run) => perSecond(run.rows, run.ms)))));
  console.log(
    `median rows/s: (a) ${rate((round) => round.raw)}, (b) ${rate((round) => round.ingest)}, (c) ${latteRate}`,
  );
  const overRaw = median(
    rounds.map((round) => perSecond(round.ingest.rows, round.ingest.ms) / perSecond(round.raw.rows, round.raw.ms)),
  );
  console.log(`ratio (b)/(a) = ${overRaw.toFixed(2)} median of rounds  (target >= 3: ${verdict(overRaw >= 3)})`);
  const overLatte = rounds.map(overLatteOf).filter((ratio) => ratio !== null);
  if (overLatte.length === 0) {
    console.log('ratio (b)/(c) = n/a  (target >= 1.5: not measured, (c) unavailable)');
  } else {
    const ratio = median(overLatte);
    console.log(`ratio (b)/(c) = ${ratio.toFixed(2)} median of rounds  (target >= 1.5: ${verdict(ratio >= 1.5)})`);
  }
  const rssMb = Math.max(...rounds.map((round) => round.ingest.maxRssKb)) / 1024;
  console.log(
    `peak RSS of (b) = ${rssMb.toFixed(0)} MB, highest of rounds  (target < 300 MB: ${verdict(rssMb < 300)})`,
  );
}

function roundsFromEnv(): number {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error('BENCH_ROUNDS must be a whole number >= 1');
  return rounds;
}

async function main(): Promise<void> {
  const started = performance.now();
  const plan = benchPlan(pointsFromEnv());
  // Leave a test node that someone else started as it was found.
  if (process.env.CASSANDRA_CONTACT_POINTS === undefined && runningPid(singleNodeSpec('test')) !== null) {
    console.log('the test node was already running: it is used and left running');
    process.env.CASSANDRA_TEST_KEEP = '1';
  }
  await setUpCassandraForTests();
  try {
    console.log(
      `writing ${thousands(plan.totalPoints)} one-minute bars per phase: ${ASSET_COUNT} assets x ${thousands(plan.pointsPerAsset)}, ` +
        `${plan.window.from.toISOString()} .. ${plan.window.to.toISOString()}, to ${describeTarget()} ` +
        `(load average ${os.loadavg()[0]?.toFixed(2)})`,
    );
    const jobs = jobsFromEnv();
    console.log('building the ingestor (nest build ingestor)');
    buildIngestor();

    // A fresh node's JIT is cold: warm it with a few writes that no phase counts, down both
    // of its write paths (single statements for (a) and (c), batches for (b)), so that no
    // phase pays for compiling the node's code for the others.
    const warmUp = benchPlan(WARM_UP_POINTS);
    const uncounted = { assets: [], buckets: [], expected: () => null };
    await inFreshKeyspace('bench_ingest_warm', (keyspace) => rawDriverInserts(keyspace.config, warmUp), uncounted);
    await inFreshKeyspace(
      'bench_ingest_warm_batches',
      (keyspace) => ingestorPath(keyspace.config.keyspace, keyspace.config.contactPoints, warmUp, jobs),
      uncounted,
    );

    const phases = {
      raw: async (round: number) => {
        const raw = await inFreshKeyspace(
          `bench_ingest_a${round}`,
          (keyspace) => rawDriverInserts(keyspace.config, plan),
          {
            assets: plan.assets,
            buckets: plan.buckets,
            expected: (result) => result.rows,
          },
        );
        console.log(`(a) ${thousands(perSecond(raw.rows, raw.ms))} rows/s`);
        return raw;
      },
      ingest: async (round: number) => {
        const ingest = await inFreshKeyspace(
          `bench_ingest_b${round}`,
          (keyspace) => ingestorPath(keyspace.config.keyspace, keyspace.config.contactPoints, plan, jobs),
          { assets: plan.assets, buckets: plan.buckets, expected: (result) => result.rows },
        );
        if (ingest.rows !== plan.totalPoints)
          throw new Error(`(b) wrote ${ingest.rows} rows, ${plan.totalPoints} planned`);
        console.log(`(b) ${thousands(perSecond(ingest.rows, ingest.ms))} rows/s`);
        return ingest;
      },
      latte: async (round: number) => {
        const latte = await inFreshKeyspace(
          `bench_ingest_c${round}`,
          (keyspace) => Promise.resolve(latteInserts(keyspace.config, plan.totalPoints)),
          {
            assets: latteAssets(),
            buckets: ['2025-08', '2025-09'],
            expected: (result) => ('unavailable' in result ? null : result.rows),
          },
        );
        console.log(
          `(c) ${'unavailable' in latte ? 'unavailable' : `${thousands(perSecond(latte.rows, latte.ms))} rows/s`}`,
        );
        return latte;
      },
    };
    const rounds: Round[] = [];
    for (let round = 1; round <= roundsFromEnv(); round += 1) {
      // Odd rounds run (a) (b) (c), even ones (c) (b) (a): no phase always goes first.
      console.log(`round ${round} ...`);
      if (round % 2 === 1) {
        const raw = await phases.raw(round);
        const ingest = await phases.ingest(round);
        rounds.push({ raw, ingest, latte: await phases.latte(round) });
      } else {
        const latte = await phases.latte(round);
        const ingest = await phases.ingest(round);
        rounds.push({ raw: await phases.raw(round), ingest, latte });
      }
    }

    report(plan, rounds);
    console.log(
      `whole bench: ${seconds(performance.now() - started)} (Cassandra start-up included); ` +
        `load average now ${os.loadavg()[0]?.toFixed(2)}: other work on these cores moves every figure`,
    );
  } finally {
    await tearDownCassandraForTests();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
