/**
 * npm run cassandra:<start|stop|status|logs|nodetool> [-- --instance dev|test] [--follow]
 * Provisions and runs a real Apache Cassandra node for local development and tests.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { nodePaths } from './node-files';
import { isSingleNodeName, singleNodeSpec } from './node-spec';
import { cqlReleaseVersion, nodetool, runningPid, startNode, stopNode } from './node-process';

const report = (line: string): void => console.log(`[cassandra] ${line}`);

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      instance: { type: 'string', default: 'dev' },
      follow: { type: 'boolean', short: 'f', default: false },
    },
  });
  const command = positionals[0];
  if (!isSingleNodeName(values.instance)) {
    throw new Error(`--instance must be "dev", "test" or "fault" (got "${values.instance}")`);
  }
  const spec = singleNodeSpec(values.instance);
  switch (command) {
    case 'start': {
      const result = await startNode(spec, report);
      report(
        result.alreadyRunning
          ? `already running as pid ${result.pid} (Cassandra ${result.releaseVersion}) on ${spec.address}:${spec.nativePort}`
          : `Cassandra ${result.releaseVersion} answers CQL on ${spec.address}:${spec.nativePort} after ${result.startSeconds.toFixed(1)}s`,
      );
      return 0;
    }
    case 'stop': {
      const stopped = await stopNode(spec);
      report(stopped ? `stopped (${spec.name})` : `not running (${spec.name}); nothing to stop`);
      return 0;
    }
    case 'status': {
      const pid = runningPid(spec);
      if (pid === null) {
        report(`${spec.name}: not running`);
        return 3;
      }
      const version = await cqlReleaseVersion(spec);
      report(
        version === null
          ? `${spec.name}: pid ${pid} running but CQL on ${spec.address}:${spec.nativePort} does not answer yet`
          : `${spec.name}: pid ${pid}, Cassandra ${version}, CQL on ${spec.address}:${spec.nativePort}`,
      );
      return version === null ? 4 : 0;
    }
    case 'logs': {
      const { systemLog } = nodePaths(spec);
      if (!fs.existsSync(systemLog)) {
        report(`no log yet at ${systemLog}`);
        return 1;
      }
      const tail = spawn('tail', [values.follow ? '-F' : '-n', ...(values.follow ? [] : ['200']), systemLog], {
        stdio: 'inherit',
      });
      return new Promise((resolve) => tail.on('exit', (code) => resolve(code ?? 0)));
    }
    case 'nodetool': {
      process.stdout.write(nodetool(spec, positionals.slice(1)));
      return 0;
    }
    case undefined:
    default:
      throw new Error(`usage: cli.ts <start|stop|status|logs|nodetool …> [--instance dev|test|fault] [--follow]`);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[cassandra] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
