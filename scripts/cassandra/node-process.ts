import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'cassandra-driver';
import { distributionBytes, ensureDistribution } from './distribution';
import { javaArguments, nodetoolArguments } from './jvm-options';
import { nodePaths, writeNodeFiles } from './node-files';
import type { NodeSpec } from './node-spec';

export type Report = (line: string) => void;

function javaBinary(): string {
  const home = process.env.JAVA_HOME;
  return home !== undefined && home !== '' ? `${home}/bin/java` : 'java';
}

/** Fails with a clear message unless a Java 17+ runtime is available. */
export function requireJava(): void {
  const probe = spawnSync(javaBinary(), ['-version'], { encoding: 'utf8' });
  if (probe.error !== undefined) {
    throw new Error(
      `Java 17 is required to run Apache Cassandra, but \`${javaBinary()}\` could not be run ` +
        `(${probe.error.message}). Install a JDK 17 or set JAVA_HOME.`,
    );
  }
  const version = /version "(\d+)/.exec(`${probe.stderr}${probe.stdout}`)?.[1];
  if (version === undefined || Number(version) < 17) {
    throw new Error(
      `Java 17 is required to run Apache Cassandra 5.0; \`${javaBinary()} -version\` reports ` +
        `${version ?? 'an unknown version'}. Set JAVA_HOME to a JDK 17.`,
    );
  }
}

/** True when something else already listens on host:port (tested by binding it). */
export function isPortTaken(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(true));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(false)));
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The pid of this node's JVM if it is running. The command line must name this node's
 * config, so a recycled pid that now belongs to another process is never reported (or killed).
 */
export function runningPid(spec: NodeSpec): number | null {
  const { pidFile, conf } = nodePaths(spec);
  if (!fs.existsSync(pidFile)) return null;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return null;
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes(conf) ? pid : null;
  } catch {
    return null;
  }
}

/** Asks the node over CQL for its version; null while it does not answer. */
export async function cqlReleaseVersion(spec: NodeSpec): Promise<string | null> {
  const client = new Client({
    contactPoints: [`${spec.address}:${spec.nativePort}`],
    localDataCenter: spec.datacenter,
    socketOptions: { connectTimeout: 2000, readTimeout: 4000 },
    pooling: { warmup: false },
  });
  try {
    await client.connect();
    const result = await client.execute('SELECT release_version FROM system.local');
    return String(result.first().get('release_version'));
  } catch {
    return null;
  } finally {
    await client.shutdown().catch(() => undefined);
  }
}

function logTail(spec: NodeSpec, lines = 40): string {
  const { systemLog, consoleLog } = nodePaths(spec);
  const file = fs.existsSync(systemLog) ? systemLog : consoleLog;
  if (!fs.existsSync(file)) return '(no log written)';
  return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}

async function waitForCql(spec: NodeSpec, pid: number, started: number): Promise<string> {
  const deadline = started + spec.startTimeoutSeconds * 1000;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) {
      throw new Error(`Cassandra (${spec.name}, pid ${pid}) exited during start-up. Last log lines:\n${logTail(spec)}`);
    }
    const version = await cqlReleaseVersion(spec);
    if (version !== null) return version;
    await sleep(1000);
  }
  throw new Error(
    `Cassandra (${spec.name}) did not answer CQL on ${spec.address}:${spec.nativePort} within ` +
      `${spec.startTimeoutSeconds}s (set CASSANDRA_START_TIMEOUT_SECONDS on a slow machine). ` +
      `It is still running as pid ${pid}; see \`npm run cassandra:logs\`.\n${logTail(spec)}`,
  );
}

export interface StartResult {
  readonly pid: number;
  readonly alreadyRunning: boolean;
  readonly releaseVersion: string;
  readonly startSeconds: number;
}

/**
 * Starts the node unless it is already running, and waits until CQL really answers.
 * Idempotent: a second call while running only checks that the node answers.
 */
export async function startNode(spec: NodeSpec, report: Report): Promise<StartResult> {
  const existing = runningPid(spec);
  const started = Date.now();
  if (existing !== null) {
    const releaseVersion = await waitForCql(spec, existing, started);
    return { pid: existing, alreadyRunning: true, releaseVersion, startSeconds: 0 };
  }
  requireJava();
  for (const port of [spec.nativePort, spec.storagePort, spec.jmxPort]) {
    if (await isPortTaken(spec.address, port)) {
      throw new Error(
        `Port ${port} on ${spec.address} is already in use by another process, so Cassandra ` +
          `(${spec.name}) cannot start. Stop that process or choose other ports (see README: ` +
          `CASSANDRA_LOCAL_PORT, CASSANDRA_LOCAL_STORAGE_PORT, CASSANDRA_LOCAL_JMX_PORT).`,
      );
    }
  }
  fs.mkdirSync(spec.dir, { recursive: true });
  const { lib, downloadedMs } = ensureDistribution(spec.version);
  if (downloadedMs !== null) {
    const megabytes = (distributionBytes(spec.version) / 1024 / 1024).toFixed(1);
    report(`downloaded Apache Cassandra ${spec.version} (${megabytes} MB) in ${(downloadedMs / 1000).toFixed(1)}s`);
  }
  writeNodeFiles(spec);
  const paths = nodePaths(spec);
  const console = fs.openSync(paths.consoleLog, 'a');
  // Spawned without a shell so that child.pid is the JVM itself, the process we must stop later.
  const child = spawn(javaBinary(), javaArguments(spec, lib), {
    cwd: spec.dir,
    detached: true,
    stdio: ['ignore', console, console],
  });
  fs.closeSync(console);
  if (child.pid === undefined) throw new Error(`Could not spawn ${javaBinary()}`);
  child.unref();
  fs.writeFileSync(paths.pidFile, String(child.pid));
  report(`starting Cassandra ${spec.version} (${spec.name}) as pid ${child.pid} on ${spec.address}:${spec.nativePort}`);
  const releaseVersion = await waitForCql(spec, child.pid, started);
  return { pid: child.pid, alreadyRunning: false, releaseVersion, startSeconds: (Date.now() - started) / 1000 };
}

/**
 * Stops exactly the JVM this provisioner started (SIGTERM, then SIGKILL after the grace
 * period). Idempotent: returns false when the node was not running.
 */
export async function stopNode(
  spec: NodeSpec,
  graceSeconds = 60,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<boolean> {
  const pid = runningPid(spec);
  const { pidFile } = nodePaths(spec);
  if (pid === null) {
    fs.rmSync(pidFile, { force: true });
    return false;
  }
  process.kill(pid, signal);
  const deadline = Date.now() + graceSeconds * 1000;
  while (isAlive(pid) && Date.now() < deadline) await sleep(250);
  if (isAlive(pid)) {
    process.kill(pid, 'SIGKILL');
    while (isAlive(pid)) await sleep(100);
  }
  fs.rmSync(pidFile, { force: true });
  return true;
}

/** nodetool's output without the DEBUG lines its JVM prints first. */
function nodetoolOutput(text: string): string {
  return text
    .split('\n')
    .filter((line) => !/^\d{2}:\d{2}:\d{2}\.\d{3} \[main\] DEBUG/.test(line))
    .join('\n');
}

/** Runs nodetool against the node and returns its output; throws with its output on failure. */
export function nodetool(spec: NodeSpec, args: readonly string[]): string {
  const lib = ensureDistribution(spec.version).lib;
  const result = spawnSync(javaBinary(), nodetoolArguments(spec, lib, args), { encoding: 'utf8' });
  const output = nodetoolOutput(`${result.stdout}${result.stderr}`);
  if (result.status !== 0) throw new Error(`nodetool ${args.join(' ')} failed:\n${output}`);
  return output;
}

/**
 * nodetool without blocking this process: each call starts a JVM, 1–12 s on a loaded
 * machine. A test that polls the ring while an API of its own serves load must use this
 * one: `nodetool()` (spawnSync) freezes the event loop the API, its driver and the test's
 * HTTP client share, and requests then time out inside the test process, not in Cassandra.
 */
export async function nodetoolAsync(spec: NodeSpec, args: readonly string[]): Promise<string> {
  const lib = ensureDistribution(spec.version).lib;
  const child = spawn(javaBinary(), nodetoolArguments(spec, lib, args), { stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  const status = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  const output = nodetoolOutput(text);
  if (status !== 0) throw new Error(`nodetool ${args.join(' ')} failed:\n${output}`);
  return output;
}
