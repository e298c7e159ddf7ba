/**
 * Jest global set-up of `npm run test:cluster`: starts the local three-node cluster (the
 * same nodes as `npm run cluster:start`, provisioning Cassandra first if needed), waits until
 * every node is UN, builds the ingestor the suites run as a separate process, and publishes
 * the cluster to the test workers. At the end it stops the nodes it started, unless
 * CLUSTER_TEST_KEEP=1; a cluster that was already running is left running.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { runningPid, startNode, stopNode } from '../../../scripts/cassandra/node-process';
import { CLUSTER_ENV, CLUSTER_SPECS, log, waitUntilAllUp } from './cluster-nodes';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const state = globalThis as typeof globalThis & { clusterStartedHere?: boolean };

export async function setUpClusterForTests(): Promise<void> {
  const started = Date.now();
  const wasRunning = CLUSTER_SPECS.every((spec) => runningPid(spec) !== null);
  // One after another: a node joins the ring through the seed, and concurrent joins are refused.
  for (const spec of CLUSTER_SPECS) {
    const result = await startNode(spec, log);
    log(
      `${spec.name} ${result.alreadyRunning ? 'already running' : `up in ${result.startSeconds.toFixed(1)}s`} on ${spec.address}:${spec.nativePort}`,
    );
  }
  await waitUntilAllUp(180_000);
  state.clusterStartedHere = !wasRunning;
  log(`all three nodes UN after ${((Date.now() - started) / 1000).toFixed(1)}s`);

  const build = spawnSync('npx', ['nest', 'build', 'ingestor'], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
  if (build.status !== 0) throw new Error(`nest build ingestor failed:\n${build.stdout}${build.stderr}`);
  Object.assign(process.env, CLUSTER_ENV);
}

export async function tearDownClusterForTests(): Promise<void> {
  if (process.env.CLUSTER_TEST_KEEP === '1' || state.clusterStartedHere !== true) {
    log('leaving the cluster running (stop it with npm run cluster:stop)');
    return;
  }
  for (const spec of [...CLUSTER_SPECS].reverse()) await stopNode(spec);
  log('cluster stopped');
}
