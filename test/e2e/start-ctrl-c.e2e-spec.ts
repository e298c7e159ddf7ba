import { spawn } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../support/free-port';
import { adminClient, testConfig } from '../support/test-keyspace';

const ROOT = path.resolve(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

interface Started {
  readonly output: () => string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly pid: number;
}

/**
 * `npm start` as a terminal runs it: `tsx scripts/start.ts` in a process group of its own
 * (a terminal's foreground job), pointed at the test node (no dev node of its own) and at
 * free ports, so Ctrl-C can be played by sending SIGINT to the whole group.
 */
function startAsTerminalJob(env: Record<string, string>): Started {
  const child = spawn(TSX, ['scripts/start.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  if (child.pid === undefined) throw new Error('tsx scripts/start.ts did not start');
  return { output: () => output, exited, pid: child.pid };
}

async function waitForLine(started: Started, pattern: RegExp, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(started.output())) {
    if (Date.now() > deadline)
      throw new Error(`no line matching ${pattern} within ${timeoutMs} ms:\n${started.output().slice(-3000)}`);
    await sleep(250);
  }
}

/** The messages one app logged (JSON lines that start.ts prefixes with `[name] `). */
function messagesOf(output: string, app: string): string[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith(`[${app}] `))
    .map((line) => {
      try {
        const { msg } = JSON.parse(line.slice(app.length + 3)) as { msg?: unknown };
        return typeof msg === 'string' ? msg : line;
      } catch {
        return line;
      }
    });
}

describe('npm start and Ctrl-C', () => {
  const config = testConfig('e2e_start');

  afterAll(async () => {
    const admin = await adminClient(config);
    try {
      await admin.execute(`DROP KEYSPACE IF EXISTS ${config.keyspace}`, [], { readTimeout: 120_000 });
    } finally {
      await admin.shutdown();
    }
  }, 180_000);

  it('one Ctrl-C (SIGINT to the process group) stops both apps gracefully, exit code 0', async () => {
    const where = config.contactPoints.map(({ host, port }) => `${host}:${port}`).join(',');
    const started = startAsTerminalJob({
      CASSANDRA_CONTACT_POINTS: where,
      CASSANDRA_LOCAL_DC: config.localDataCenter,
      CASSANDRA_KEYSPACE: config.keyspace,
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
      INGESTOR_PORT: String(await freePort()),
      JOBS_ENABLED: 'false',
      LOG_LEVEL: 'info',
    });
    try {
      await waitForLine(started, /\[start\] press Ctrl-C to stop everything/, 400_000);
      process.kill(-started.pid, 'SIGINT');
      const exit = await Promise.race([started.exited, sleep(60_000).then(() => null)]);
      const output = started.output();
      expect({ exit, tail: exit === null ? output.slice(-3000) : '' }).toEqual({
        exit: { code: 0, signal: null },
        tail: '',
      });
      for (const app of ['api', 'ingestor']) {
        const messages = messagesOf(output, app);
        expect({ app, stopping: messages.some((message) => /^SIG(INT|TERM): stopping$/.test(message)) }).toEqual({
          app,
          stopping: true,
        });
        expect({ app, forced: messages.filter((message) => /exiting now/.test(message)) }).toEqual({ app, forced: [] });
      }
      expect(output).not.toMatch(/exited unexpectedly/);
    } finally {
      try {
        process.kill(-started.pid, 'SIGKILL');
      } catch {
        // already gone: the normal case
      }
    }
  }, 600_000);
});
