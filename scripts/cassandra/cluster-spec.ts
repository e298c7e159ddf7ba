import path from 'node:path';
import { CASSANDRA_HOME, DEFAULT_CASSANDRA_VERSION, type NodeSpec } from './node-spec';

/** How many nodes the local cluster has: the seed design's three. */
export const CLUSTER_SIZE = 3;

/**
 * The three nodes of the local cluster on 127.0.0.1, 127.0.0.2 and 127.0.0.3 (loopback
 * addresses need no set-up on Linux): one cluster name, one seed, datacenter DC1, the same
 * ports on each address (9142/7100, apart from the single dev node's 9042/7000 so both can
 * run), a distinct JMX port each, small heaps (three JVMs on a 2-core machine).
 */
export function clusterNodeSpecs(env: Readonly<Record<string, string | undefined>> = process.env): NodeSpec[] {
  const nativePort = Number(env.CASSANDRA_CLUSTER_PORT ?? 9142);
  const storagePort = Number(env.CASSANDRA_CLUSTER_STORAGE_PORT ?? 7100);
  return Array.from({ length: CLUSTER_SIZE }, (_, index) => ({
    name: `cluster-${index + 1}`,
    version: env.CASSANDRA_VERSION ?? DEFAULT_CASSANDRA_VERSION,
    clusterName: 'market-cluster',
    datacenter: 'DC1',
    rack: 'rack1',
    address: `127.0.0.${index + 1}`,
    nativePort,
    storagePort,
    jmxPort: 7201 + index,
    seeds: [`127.0.0.1:${storagePort}`],
    heap: { initial: env.CASSANDRA_CLUSTER_HEAP_INITIAL ?? '384m', max: env.CASSANDRA_CLUSTER_HEAP_MAX ?? '768m' },
    dir: path.join(CASSANDRA_HOME, `cluster-${index + 1}`),
    startTimeoutSeconds: Number(env.CASSANDRA_START_TIMEOUT_SECONDS ?? 300),
  }));
}

/** The contact points of the whole cluster, for CASSANDRA_CONTACT_POINTS. */
export function clusterContactPoints(specs: readonly NodeSpec[]): string {
  return specs.map((spec) => `${spec.address}:${spec.nativePort}`).join(',');
}
