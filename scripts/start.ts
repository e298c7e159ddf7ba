/**
 * npm start — the whole system on one machine, in the foreground:
 * builds both apps, starts the project's own Cassandra node (unless
 * CASSANDRA_CONTACT_POINTS names an existing cluster), applies migrations, runs the api
 * and the ingestor, and on Ctrl-C (or SIGTERM) stops all of it again.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { cassandraConfigFromEnv, cassandraEnvSchema, runMigrations } from '@market/cassandra';
import { parseEnv } from '@market/config';
import { buildConsole } from './build-console';
import { startNode, stopNode } from './cassandra/node-process';
import { singleNodeSpec } from './cassandra/node-spec';
import { appEnvironment, appNodeFlags } from './app-node-flags';

const ROOT = path.resolve(__dirname, '..');
const say = (line: string): void => console.log(`[start] ${line}`);

interface App {
  readonly name: string;
  readonly entry: string;
  /** As package.json's start:api / start:ingestor run it (GC flags and MALLOC_ARENA_MAX: docs/benchmarks.md). */
  readonly nodeFlags: readonly string[];
  readonly healthUrl: string;
  readonly env: Record<string, string>;
}

function build(): void {
  say('building api and ingestor');
  const result = spawnSync('npx', ['nest', 'build', 'api'], { cwd: ROOT, stdio: 'inherit' });
  const second =
    result.status === 0 ? spawnSync('npx', ['nest', 'build', 'ingestor'], { cwd: ROOT, stdio: 'inherit' }) : result;
  if (second.status !== 0) throw new Error('build failed');
}

function run(app: App): ChildProcess {
  const child = spawn(process.execPath, [...app.nodeFlags, app.entry], {
    cwd: ROOT,
    env: { ...process.env, ...app.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    readline.createInterface({ input: stream }).on('line', (line) => console.log(`[${app.name}] ${line}`));
  }
  return child;
}

async function waitHealthy(app: App, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${app.name} exited with code ${child.exitCode} during start-up`);
    try {
      const response = await fetch(app.healthUrl, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(500);
  }
  throw new Error(`${app.name} did not become healthy at ${app.healthUrl} within ${timeoutMs / 1000}s`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function main(): Promise<void> {
  const useOwnNode = (process.env.CASSANDRA_CONTACT_POINTS ?? '') === '';
  const node = singleNodeSpec('dev');
  let startedNode = false;
  const children: ChildProcess[] = [];
  let stopping = false;

  const shutdown = async (code: number): Promise<never> => {
    if (stopping) return new Promise(() => undefined);
    stopping = true;
    say('stopping api and ingestor');
    await Promise.all(children.map(stopChild));
    if (startedNode) {
      say('stopping Cassandra');
      await stopNode(node);
    }
    process.exit(code);
  };
  // Ctrl-C also reaches the apps straight from the terminal (one process group), and this
  // script's SIGTERM (stopChild) arrives on top of it: the apps count a second signal within
  // 1.5 s as the same stop request (libs/observability stop-on-signals.ts), so one Ctrl-C is one
  // graceful stop, while a SIGTERM sent to this script alone still stops them. A second
  // Ctrl-C reaches the apps from the terminal again and forces their exit.
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  try {
    build();
    say(`web console: ${(await buildConsole()).length} files built into dist/console`);
    if (useOwnNode) {
      const result = await startNode(node, (line) => console.log(`[cassandra] ${line}`));
      startedNode = !result.alreadyRunning;
      say(
        result.alreadyRunning
          ? `Cassandra already running (pid ${result.pid}); it stays up after this session`
          : `Cassandra ${result.releaseVersion} up in ${result.startSeconds.toFixed(1)}s`,
      );
      process.env.CASSANDRA_CONTACT_POINTS = `${node.address}:${node.nativePort}`;
      process.env.CASSANDRA_LOCAL_DC = node.datacenter;
    }
    const config = cassandraConfigFromEnv(parseEnv(cassandraEnvSchema, process.env));
    const report = await runMigrations(config, path.join(ROOT, 'cql'), { log: (line) => say(line) });
    say(`schema: ${report.applied.length} migrations applied, ${report.alreadyApplied} already in place`);

    // `npm start` is local development: the seed's demo curls carry no credentials. Auth stays
    // on wherever the API is started otherwise, and here too as soon as AUTH_ENABLED is set.
    const authEnv: Record<string, string> = process.env.AUTH_ENABLED === undefined ? { AUTH_ENABLED: 'false' } : {};
    if (process.env.AUTH_ENABLED === undefined) {
      say('auth is off for local development (set AUTH_ENABLED=true and a key source to require credentials)');
    }

    const host = process.env.HOST ?? '127.0.0.1';
    const apiPort = process.env.PORT ?? '8000';
    const ingestorPort = process.env.INGESTOR_PORT ?? '8001';
    const apps: App[] = [
      {
        name: 'api',
        entry: 'dist/apps/api/main.js',
        nodeFlags: appNodeFlags('start:api', 'dist/apps/api/main.js'),
        healthUrl: `http://${host}:${apiPort}/health`,
        env: { ...appEnvironment('start:api', 'dist/apps/api/main.js'), HOST: host, PORT: apiPort, ...authEnv },
      },
      {
        name: 'ingestor',
        entry: 'dist/apps/ingestor/main.js',
        nodeFlags: appNodeFlags('start:ingestor', 'dist/apps/ingestor/main.js'),
        healthUrl: `http://${host}:${ingestorPort}/health`,
        env: { INGESTOR_HOST: host, INGESTOR_PORT: ingestorPort, ...authEnv },
      },
    ];
    const running = apps.map((app) => ({ app, child: run(app) }));
    for (const { app, child } of running) {
      children.push(child);
      // Ctrl-C reaches the apps too (same process group): exit code 0 means they obeyed it.
      child.once('exit', (code, signal) => {
        if (stopping) return;
        if (code !== 0)
          say(
            `${app.name} exited unexpectedly (${code === null ? `signal ${signal}` : `code ${code}`}); stopping everything`,
          );
        void shutdown(code === 0 ? 0 : 1);
      });
    }
    await Promise.all(running.map(({ app, child }) => waitHealthy(app, child)));
    say(
      `ready: API http://${host}:${apiPort}/api/v1 · console http://${host}:${apiPort}/console · health http://${host}:${apiPort}/health · ingestor http://${host}:${ingestorPort}/health`,
    );
    say('press Ctrl-C to stop everything');
  } catch (error) {
    console.error(`[start] ${error instanceof Error ? error.message : String(error)}`);
    await shutdown(1);
  }
}

void main();
