/**
 * Phase (b): the ingestor as a user runs it. One process of the built ingestor, started as
 * `npm run ingest` starts it (`node <its flags> dist/apps/ingestor/main.js`), backfills every
 * asset of the plan from its synthetic provider:
 *
 *     ingestor backfill --asset BENCH000,...,BENCH099 --from <from> --to <to> --source synthetic --parallel <BENCH_JOBS>
 *
 * so the figure holds the whole path (one-day provider requests, validation, the series
 * writer's batches, the daily rollups, checkpoints) and nothing else. Rows and duration are
 * the CLI's own summary (start-up and connecting are not counted); peak RSS is the process's
 * VmHWM, and CPU its utime + stime, read from /proc while it runs (Linux only).
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { ContactPoint } from '@market/cassandra';
import { appNodeFlags } from '../../scripts/app-node-flags';
import type { BenchPlan } from './bench-plan';
import { cpuMsSince, localCassandraPid, processCpuMs } from '../cpu-time';
import type { PhaseResult } from './raw-driver.phase';

const ROOT = path.resolve(__dirname, '..', '..');
const ENTRY = path.join(ROOT, 'dist', 'apps', 'ingestor', 'main.js');
const DEFAULT_JOBS = 8;
const POLL_MS = 50;

/** What phase (b) measured. */
export interface IngestorPathResult extends PhaseResult {
  readonly rejected: number;
  readonly maxRssKb: number;
  readonly jobs: number;
  /** WRITE_CONCURRENCY and WRITE_BATCH_ROWS as the ingestor ran with them (its defaults unless set). */
  readonly writes: { readonly concurrency: string; readonly batchRows: string };
}

/** BENCH_JOBS: series the backfill runs at once (its --parallel). */
export function jobsFromEnv(): number {
  const jobs = Number(process.env.BENCH_JOBS ?? DEFAULT_JOBS);
  if (!Number.isInteger(jobs) || jobs < 1) throw new Error(`BENCH_JOBS must be a whole number >= 1`);
  return jobs;
}

/**
 * The node flags `npm run ingest` starts the ingestor with (package.json's "ingest" script),
 * so (b) runs it exactly as a user does, GC settings included.
 */
export function ingestNodeFlags(): string[] {
  return appNodeFlags('ingest', 'dist/apps/ingestor/main.js');
}

/** Builds the ingestor once, as `npm run ingest` does before it runs. */
export function buildIngestor(): void {
  const build = spawnSync('npx', ['nest', 'build', 'ingestor'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}${build.stderr}`);
}

/** The peak resident set of a running process in kB (VmHWM); null once it has exited. */
function peakRssKb(pid: number): number | null {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match === null ? null : Number(match[1]);
  } catch {
    return null;
  }
}

/** A number the CLI's summary printed after `label`. */
function summaryNumber(stdout: string, label: RegExp): number {
  const match = label.exec(stdout);
  if (match?.[1] === undefined)
    throw new Error(`(b): no ${label.source} in the backfill's output:\n${stdout.slice(-2000)}`);
  return Number(match[1]);
}

/** Runs the backfill of the whole plan into `keyspace` and reports what it took. */
export function ingestorPath(
  keyspace: string,
  contactPoints: readonly ContactPoint[],
  plan: BenchPlan,
  jobs: number,
): Promise<IngestorPathResult> {
  const args = [
    'backfill',
    '--asset',
    plan.assets.join(','),
    '--from',
    plan.window.from.toISOString(),
    '--to',
    plan.window.to.toISOString(),
    '--source',
    'synthetic',
    '--parallel',
    String(jobs),
  ];
  // BENCH_PROFILE_DIR=<dir> writes a V8 CPU profile of the ingestor there (Chrome DevTools opens it).
  const profile = process.env.BENCH_PROFILE_DIR;
  const nodeFlags = profile === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profile}`];
  const serverPid = localCassandraPid(contactPoints);
  const serverBefore = processCpuMs(serverPid);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...ingestNodeFlags(), ...nodeFlags, ENTRY, ...args], {
      cwd: ROOT,
      env: { ...process.env, CASSANDRA_KEYSPACE: keyspace },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    let maxRssKb = 0;
    let cpuMs: number | null = null;
    const poll = (): void => {
      if (child.pid === undefined) return;
      maxRssKb = Math.max(maxRssKb, peakRssKb(child.pid) ?? 0);
      cpuMs = processCpuMs(child.pid) ?? cpuMs;
    };
    const timer = setInterval(poll, POLL_MS);
    child.on('error', (error) => {
      clearInterval(timer);
      reject(error);
    });
    child.on('exit', (code, signal) => {
      clearInterval(timer);
      if (code !== 0) {
        reject(new Error(`(b): the backfill exited with ${code ?? signal}:\n${stderr.slice(-2000)}`));
        return;
      }
      try {
        const seconds = summaryNumber(stdout, /^duration: ([\d.]+) s/m);
        resolve({
          rows: summaryNumber(stdout, /^rows written: (\d+)$/m),
          rejected: summaryNumber(stdout, /^rows rejected: (\d+)/m),
          ms: seconds * 1000,
          clientCpuMs: cpuMs,
          serverCpuMs: cpuMsSince(serverPid, serverBefore),
          maxRssKb,
          jobs,
          writes: {
            concurrency: process.env.WRITE_CONCURRENCY ?? 'default',
            batchRows: process.env.WRITE_BATCH_ROWS ?? 'default',
          },
        });
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}
