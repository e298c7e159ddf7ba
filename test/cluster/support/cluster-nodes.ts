import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from 'cassandra-driver';
import { CLUSTER_SIZE, clusterContactPoints, clusterNodeSpecs } from '../../../scripts/cassandra/cluster-spec';
import { allUp, ringStates, waitForRing } from '../../../scripts/cassandra/cluster-ring';
import { nodetool, runningPid, startNode, stopNode } from '../../../scripts/cassandra/node-process';
import type { NodeSpec } from '../../../scripts/cassandra/node-spec';

/**
 * The local three-node cluster (`npm run cluster:*`) as the fault tests drive it: by node
 * number, through the same functions the cluster scripts use, so a test kills and restarts
 * exactly the JVMs those scripts started and nothing else.
 */
export const CLUSTER_SPECS = clusterNodeSpecs();

/** The variables that point the apps, the migrator and the test helpers at the cluster. */
export const CLUSTER_ENV = {
  CASSANDRA_CONTACT_POINTS: clusterContactPoints(CLUSTER_SPECS),
  CASSANDRA_LOCAL_DC: 'DC1',
  CASSANDRA_REPLICATION: 'NetworkTopologyStrategy:DC1=3',
} as const;

export const log = (line: string): void => {
  process.stdout.write(`[cluster] ${line}\n`);
};

/** The spec of node 1, 2 or 3. */
export function clusterNode(number: number): NodeSpec {
  const spec = CLUSTER_SPECS[number - 1];
  if (spec === undefined) throw new Error(`the cluster has nodes 1 to ${CLUSTER_SIZE}, not ${number}`);
  return spec;
}

/** SIGKILL: the JVM dies at once, no flush, no goodbye to gossip — a crashed host. */
export async function killNode(number: number): Promise<void> {
  if (!(await stopNode(clusterNode(number), 0, 'SIGKILL'))) throw new Error(`node ${number} was not running`);
  log(`node ${number} (${clusterNode(number).address}) killed with SIGKILL`);
}

/** Starts the node again and waits until it answers CQL; returns the seconds that took. */
export async function restartNode(number: number): Promise<number> {
  const result = await startNode(clusterNode(number), log);
  log(`node ${number} answers CQL again after ${result.startSeconds.toFixed(1)}s`);
  return result.startSeconds;
}

/** True when every node of the cluster is Up and Normal in the ring. */
export function allNodesUp(): boolean {
  return allUp(CLUSTER_SPECS)(ringStates(CLUSTER_SPECS));
}

/**
 * Waits until every node is UN as seen by nodetool (gossip), not just answering CQL on its
 * own port; returns the milliseconds waited. Bounded: throws after `timeoutMs`.
 */
export function waitUntilAllUp(timeoutMs = 120_000): Promise<number> {
  return waitForRing(CLUSTER_SPECS, 'every node UN', allUp(CLUSTER_SPECS), timeoutMs);
}

/**
 * `nodetool describecluster` as seen from a running node: schema version → the addresses
 * holding it (the UNREACHABLE group left out).
 */
export function describeSchemaVersions(): Map<string, string[]> {
  const running = CLUSTER_SPECS.find((spec) => runningPid(spec) !== null);
  const versions = new Map<string, string[]>();
  if (running === undefined) return versions;
  for (const match of nodetool(running, ['describecluster']).matchAll(/^\s+([0-9a-f-]{36}): \[([^\]]*)\]/gm)) {
    versions.set(
      match[1] ?? '',
      (match[2] ?? '').split(',').map((address) => address.trim().replace(/:\d+$/, '')),
    );
  }
  return versions;
}

const versionsText = (versions: Map<string, string[]>): string =>
  [...versions].map(([version, addresses]) => `${version}: [${addresses.join(', ')}]`).join('; ');

/** Polls describecluster until one schema version is left; false after `timeoutMs`. */
async function schemaConverges(timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (describeSchemaVersions().size === 1) return true;
    if (Date.now() > deadline) return false;
    await sleep(3000);
  }
}

/**
 * Heals a schema split a previous suite left (docs/schema-agreement.md): waits a minute
 * for it to converge by itself, then runs `nodetool resetlocalschema` on the nodes outside
 * the largest group, then restarts them — the runbook's steps, in its order.
 */
export async function ensureSchemaAgreement(): Promise<void> {
  const found = describeSchemaVersions();
  if (found.size <= 1) return;
  log(`schema disagreement: ${versionsText(found)}; waiting for it to converge`);
  if (await schemaConverges(60_000)) return log('schema versions converged by themselves');
  const odd = [...describeSchemaVersions().values()]
    .sort((left, right) => right.length - left.length)
    .slice(1)
    .flat();
  const oddSpecs = CLUSTER_SPECS.filter((spec) => odd.includes(spec.address));
  for (const spec of oddSpecs) {
    log(`nodetool resetlocalschema on ${spec.address}`);
    nodetool(spec, ['resetlocalschema']);
  }
  if (await schemaConverges(60_000))
    return log(`schema agreement back after resetlocalschema: ${versionsText(describeSchemaVersions())}`);
  for (const spec of oddSpecs) {
    log(`restarting ${spec.address} to heal the schema`);
    await stopNode(spec);
    await startNode(spec, log);
  }
  await waitUntilAllUp();
  if (!(await schemaConverges(120_000))) {
    throw new Error(`the cluster stays split after healing: ${versionsText(describeSchemaVersions())}`);
  }
  log(`schema agreement back after restarting ${odd.join(', ')}`);
}

/**
 * Leaves the cluster whole: starts any node a failed test left down (one at a time, as a
 * node must not join while another does), waits until all are UN, and heals a schema split.
 */
export async function ensureClusterWhole(): Promise<void> {
  for (const spec of CLUSTER_SPECS) {
    if (runningPid(spec) === null) await startNode(spec, log);
  }
  await waitUntilAllUp();
  await ensureSchemaAgreement();
}

/**
 * Waits until a driver client holds open connections to every node again (it reconnects
 * on its own exponential schedule after a node returns). Bounded: throws after `timeoutMs`.
 */
export async function waitUntilClientSeesAll(client: Client, timeoutMs = 60_000): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const state = client.getState();
    const hosts = state.getConnectedHosts();
    if (hosts.length === CLUSTER_SIZE && hosts.every((host) => host.isUp() && state.getOpenConnections(host) > 0)) {
      return Date.now() - started;
    }
    await sleep(500);
  }
  throw new Error(`the driver is not connected to all ${CLUSTER_SIZE} nodes after ${timeoutMs} ms`);
}

/**
 * SIGSTOP: the JVM stays alive with its sockets open but answers nothing — a stalled host
 * (long GC pause, hung disk, a partition). Only `thawNode` (SIGCONT) brings it back.
 */
export function freezeNode(number: number): void {
  const pid = runningPid(clusterNode(number));
  if (pid === null) throw new Error(`node ${number} is not running`);
  process.kill(pid, 'SIGSTOP');
  log(`node ${number} (${clusterNode(number).address}) frozen with SIGSTOP`);
}

export function thawNode(number: number): void {
  const pid = runningPid(clusterNode(number));
  if (pid === null) return;
  process.kill(pid, 'SIGCONT');
  log(`node ${number} thawed with SIGCONT`);
}
