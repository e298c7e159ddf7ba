/**
 * Where each phase's time goes on a 2-core machine: CPU seconds of the client and of the
 * local Cassandra JVM per wall second. The node's pid is known only for the project's own
 * provisioned nodes (dev on 9042, test on 19042); for any other cluster it is not measured.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import type { ContactPoint } from '@market/cassandra';
import { runningPid } from '../scripts/cassandra/node-process';
import { singleNodeSpec } from '../scripts/cassandra/node-spec';

const CLOCK_TICKS_PER_SECOND = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;

/** The pid of the project's own node behind these contact points, if it is the only one and runs here. */
export function localCassandraPid(contactPoints: readonly ContactPoint[]): number | null {
  if (contactPoints.length !== 1) return null;
  const [point] = contactPoints;
  for (const name of ['dev', 'test'] as const) {
    const spec = singleNodeSpec(name);
    if (point?.host === spec.address && point.port === spec.nativePort) return runningPid(spec);
  }
  return null;
}

/** User + system CPU milliseconds a process has used so far; null once it cannot be read. */
export function processCpuMs(pid: number | null): number | null {
  if (pid === null) return null;
  try {
    // Fields after the parenthesised command name: utime and stime are the 12th and 13th.
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** CPU used by `pid` since `before` (from processCpuMs); null when either is unknown. */
export function cpuMsSince(pid: number | null, before: number | null): number | null {
  const now = processCpuMs(pid);
  return now === null || before === null ? null : now - before;
}

/**
 * Waits until the process has used less than `maxCores` of CPU over a whole `windowMs`
 * (or `timeoutMs` has passed), and says how long that took. A dropped keyspace leaves the
 * node flushing and compacting for a while; a phase that started meanwhile would pay for
 * the previous phase's writes. Returns null when the pid is unknown.
 */
export async function waitUntilQuiet(
  pid: number | null,
  { maxCores = 0.15, windowMs = 1000, timeoutMs = 30_000 } = {},
): Promise<number | null> {
  if (pid === null) return null;
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    const before = processCpuMs(pid);
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const used = cpuMsSince(pid, before);
    if (used === null) return null;
    if (used / windowMs < maxCores) break;
  }
  return performance.now() - started;
}
