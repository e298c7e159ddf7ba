/**
 * Phase (c): the server's per-statement write ceiling, measured by latte (a Cassandra load
 * generator in Rust, built by `npm run bench:latte:install` into the git-ignored .tools/)
 * running bench/ingest/insert.rn: single-row prepared INSERTs of the same table shape.
 * Unavailable (never a failure of the bench) when latte is not built or does not run.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CassandraConfig } from '@market/cassandra';
import { ASSET_COUNT } from './bench-plan';
import { cpuMsSince, localCassandraPid, processCpuMs } from '../cpu-time';
import type { PhaseResult } from './raw-driver.phase';

const ROOT = path.resolve(__dirname, '..', '..');
export const LATTE_BIN = process.env.LATTE_BIN ?? path.join(ROOT, '.tools', 'latte', 'bin', 'latte');
const WORKLOAD = path.join(__dirname, 'insert.rn');
/** In-flight requests of latte's one thread; its default is 128. */
export const LATTE_CONCURRENCY = Number(process.env.BENCH_LATTE_CONCURRENCY ?? 128);
const TIMEOUT_MS = 5 * 60_000;

export type LatteOutcome =
  (PhaseResult & { readonly errors: number; readonly version: string }) | { readonly unavailable: string };

interface LatteReport {
  readonly result: {
    readonly elapsed_time_s: number;
    readonly cpu_time_s: number;
    readonly cycle_count: number;
    readonly error_count: number;
  };
}

/** The asset ids insert.rn writes (`LATTE<n>`), for counting its rows. */
export const latteAssets = (): string[] => Array.from({ length: ASSET_COUNT }, (_, index) => `LATTE${index}`);

/** The first error of the last build, if it failed; else what to run. */
function whyNotBuilt(): string {
  const log = path.join(ROOT, '.tools', 'latte-build.log');
  const error = fs.existsSync(log)
    ? fs
        .readFileSync(log, 'utf8')
        .split('\n')
        .find((line) => line.startsWith('error'))
    : undefined;
  return error === undefined
    ? 'run npm run bench:latte:install (about 9 minutes)'
    : `its last build failed (${path.relative(ROOT, log)}): ${error}`;
}

function lastLines(text: string, count = 15): string {
  return text.trim().split('\n').slice(-count).join('\n');
}

/** Runs `rows` cycles of insert.rn into the keyspace of `config`. */
export function latteInserts(config: CassandraConfig, rows: number): LatteOutcome {
  if (!fs.existsSync(LATTE_BIN)) return { unavailable: `latte is not built at ${LATTE_BIN}: ${whyNotBuilt()}` };
  const version = spawnSync(LATTE_BIN, ['--version'], { encoding: 'utf8' });
  if (version.status !== 0) {
    return { unavailable: `${LATTE_BIN} --version failed: ${version.error?.message ?? lastLines(version.stderr)}` };
  }
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-ingest-latte-'));
  const reportFile = path.join(workDir, 'report.json');
  try {
    const serverPid = localCassandraPid(config.contactPoints);
    const serverBefore = processCpuMs(serverPid);
    const run = spawnSync(
      LATTE_BIN,
      [
        'run',
        WORKLOAD,
        '--duration',
        String(rows),
        '--threads',
        '1',
        '--concurrency',
        String(LATTE_CONCURRENCY),
        '--consistency',
        config.writeConsistency,
        '--datacenter',
        config.localDataCenter,
        '--quiet',
        '--output',
        reportFile,
        '-P',
        `keyspace="${config.keyspace}"`,
        '-P',
        `assets=${ASSET_COUNT}`,
        ...config.contactPoints.map(({ host, port }) => `${host}:${port}`),
      ],
      // latte writes nothing but its report; its working folder is a temporary one all the same.
      { cwd: workDir, encoding: 'utf8', timeout: TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 },
    );
    // Includes latte's start-up and warm-up cycle: a slight overestimate of the server's share.
    const serverCpuMs = cpuMsSince(serverPid, serverBefore);
    if (run.error !== undefined) return { unavailable: `latte did not finish: ${run.error.message}` };
    if (run.status !== 0 || !fs.existsSync(reportFile)) {
      return { unavailable: `latte exited with ${run.status ?? run.signal}: ${lastLines(run.stderr || run.stdout)}` };
    }
    const report = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as LatteReport;
    return {
      rows: report.result.cycle_count,
      ms: report.result.elapsed_time_s * 1000,
      clientCpuMs: report.result.cpu_time_s * 1000,
      serverCpuMs,
      errors: report.result.error_count,
      version: version.stdout.trim(),
    };
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}
