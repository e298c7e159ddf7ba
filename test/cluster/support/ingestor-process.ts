import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../../support/free-port';

/** The ingestor as users run it: the webpack build (made by the global set-up), a process of its own. */
const ROOT = path.resolve(__dirname, '..', '..', '..');
const ENTRY = path.join(ROOT, 'dist', 'apps', 'ingestor', 'main.js');

/** One scheduled synthetic job, as in config/jobs.json. */
export interface SyntheticJob {
  readonly id: string;
  readonly seriesId: string;
  readonly backfillFrom: string;
  readonly everySeconds: number;
}

/** A jobs file holding just this job, in a temporary folder. */
export function jobsFile(job: SyntheticJob): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cluster-jobs-')), 'jobs.json');
  const definition = { kind: 'asset', provider: 'synthetic', symbol: job.seriesId, interval: '1m', ...job };
  fs.writeFileSync(file, JSON.stringify({ jobs: [definition] }));
  return file;
}

export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A running ingestor worker: its output so far, and ways to stop it. */
export class IngestorWorker {
  output = '';
  readonly exited: Promise<ExitStatus>;

  private constructor(readonly child: ChildProcess) {
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /** Starts `node dist/apps/ingestor/main.js` (the worker) with the job file and env given. */
  static async start(keyspace: string, jobs: string, env: NodeJS.ProcessEnv = {}): Promise<IngestorWorker> {
    const child = spawn(process.execPath, [ENTRY], {
      cwd: ROOT,
      env: {
        ...process.env,
        CASSANDRA_KEYSPACE: keyspace,
        JOBS_FILE: jobs,
        INGESTOR_HOST: '127.0.0.1',
        INGESTOR_PORT: String(await freePort()),
        LOG_LEVEL: 'info',
        // The worker's port asks for credentials as the API's does; these tests read no metrics.
        AUTH_ENABLED: 'false',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new IngestorWorker(child);
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Sends the signal and waits (bounded) for the process to exit. */
  async stop(signal: NodeJS.Signals, timeoutMs = 30_000): Promise<ExitStatus & { ms: number }> {
    const started = Date.now();
    this.child.kill(signal);
    const exit = await Promise.race([this.exited, sleep(timeoutMs).then(() => null)]);
    if (exit === null) {
      this.child.kill('SIGKILL');
      throw new Error(`the ingestor did not exit within ${timeoutMs} ms of ${signal}:\n${this.output.slice(-2000)}`);
    }
    return { ...exit, ms: Date.now() - started };
  }

  /** Lines of the JSON log whose message matches. */
  messages(pattern: RegExp): string[] {
    return this.output
      .split('\n')
      .map((line) => {
        try {
          const parsed = JSON.parse(line) as { msg?: unknown };
          return typeof parsed.msg === 'string' ? parsed.msg : line;
        } catch {
          return line;
        }
      })
      .filter((message) => pattern.test(message));
  }
}

/** Polls `check` every `everyMs` until it returns a value, for at most `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | null>,
  timeoutMs: number,
  everyMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check().catch(() => null);
    if (value !== null) return value;
    await sleep(everyMs);
  }
  throw new Error(`${what}: not within ${timeoutMs} ms`);
}
