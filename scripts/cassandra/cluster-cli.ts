/**
 * npm run cluster:<start|stop|status> and cluster:<kill|stop-node|start-node> -- <1|2|3>
 * npm run cluster:nodetool -- <1|2|3> <nodetool arguments> (e.g. `3 describecluster`)
 * A real three-node Cassandra cluster on loopback, for the fault tests and the runbook.
 */
import { parseArgs } from 'node:util';
import { CLUSTER_SIZE, clusterContactPoints, clusterNodeSpecs } from './cluster-spec';
import { cqlReleaseVersion, nodetool, runningPid, startNode, stopNode } from './node-process';

const report = (line: string): void => console.log(`[cluster] ${line}`);

function nodeNumber(text: string | undefined): number {
  const number = Number(text);
  if (!Number.isInteger(number) || number < 1 || number > CLUSTER_SIZE) {
    throw new Error(`name a node by number: 1 to ${CLUSTER_SIZE} (got "${text ?? ''}")`);
  }
  return number;
}

async function main(): Promise<number> {
  const { positionals } = parseArgs({ allowPositionals: true, strict: false });
  const [command, argument, ...rest] = positionals;
  const specs = clusterNodeSpecs();
  const node = (text: string | undefined) => {
    const spec = specs[nodeNumber(text) - 1];
    if (spec === undefined) throw new Error(`no node ${text ?? ''}`);
    return spec;
  };
  switch (command) {
    case 'start': {
      const started = Date.now();
      // One after another: a node joins through the seed, and concurrent joins are refused.
      for (const spec of specs) {
        const result = await startNode(spec, report);
        report(
          `${spec.name} ${result.alreadyRunning ? 'already running' : `up in ${result.startSeconds.toFixed(1)}s`} on ${spec.address}:${spec.nativePort}`,
        );
      }
      report(`cluster up in ${((Date.now() - started) / 1000).toFixed(1)}s`);
      report(
        `use it: CASSANDRA_CONTACT_POINTS=${clusterContactPoints(specs)} CASSANDRA_LOCAL_DC=DC1 CASSANDRA_REPLICATION=NetworkTopologyStrategy:DC1=3`,
      );
      return 0;
    }
    case 'stop': {
      for (const spec of [...specs].reverse())
        report(`${spec.name}: ${(await stopNode(spec)) ? 'stopped' : 'not running'}`);
      return 0;
    }
    case 'status': {
      for (const spec of specs) {
        const pid = runningPid(spec);
        const version = pid === null ? null : await cqlReleaseVersion(spec);
        report(
          `${spec.name} ${spec.address}: ${pid === null ? 'not running' : `pid ${pid}, CQL ${version === null ? 'not answering' : `answers (${version})`}`}`,
        );
      }
      const up = specs.find((spec) => runningPid(spec) !== null);
      if (up !== undefined) process.stdout.write(nodetool(up, ['status']));
      return 0;
    }
    case 'kill': {
      const spec = node(argument);
      report(`${spec.name}: ${(await stopNode(spec, 0, 'SIGKILL')) ? 'killed (SIGKILL)' : 'not running'}`);
      return 0;
    }
    case 'stop-node': {
      const spec = node(argument);
      report(`${spec.name}: ${(await stopNode(spec)) ? 'stopped (SIGTERM)' : 'not running'}`);
      return 0;
    }
    case 'start-node': {
      const spec = node(argument);
      const result = await startNode(spec, report);
      report(`${spec.name} ${result.alreadyRunning ? 'already running' : `up in ${result.startSeconds.toFixed(1)}s`}`);
      return 0;
    }
    case 'nodetool': {
      process.stdout.write(nodetool(node(argument), rest));
      return 0;
    }
    case undefined:
    default:
      throw new Error('usage: cluster-cli.ts <start|stop|status|kill N|stop-node N|start-node N|nodetool N args…>');
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[cluster] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
