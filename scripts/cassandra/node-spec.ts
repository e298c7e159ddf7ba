import path from 'node:path';

/** Where everything the provisioner downloads or writes lives; git-ignored. */
export const CASSANDRA_HOME = path.resolve(__dirname, '..', '..', '.cassandra');

/**
 * The latest 5.0 patch that Maven Central serves (checked 2026-11-24: 5.0.9 resolves,
 * 5.0.10 does not). Override with CASSANDRA_VERSION.
 */
export const DEFAULT_CASSANDRA_VERSION = '5.0.9';

/** Everything needed to render one node's configuration and run it. */
export interface NodeSpec {
  /** Names the node's folder under .cassandra/ (e.g. `dev`, `test`, `cluster-1`). */
  readonly name: string;
  readonly version: string;
  readonly clusterName: string;
  readonly datacenter: string;
  readonly rack: string;
  readonly address: string;
  readonly nativePort: number;
  readonly storagePort: number;
  readonly jmxPort: number;
  readonly seeds: readonly string[];
  readonly heap: { readonly initial: string; readonly max: string };
  /** Folder holding conf/, data/, logs/ and the pid file of this node. */
  readonly dir: string;
  readonly startTimeoutSeconds: number;
}

type Env = Readonly<Record<string, string | undefined>>;

function portFrom(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${name} must be a TCP port between 1 and 65535 (got "${raw}")`);
  }
  return port;
}

function secondsFrom(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new Error(`${name} must be a positive number of seconds (got "${raw}")`);
  }
  return seconds;
}

/** The single local nodes: each its own ports, folder and cluster name. */
const SINGLE_NODES = {
  dev: { prefix: 'CASSANDRA_LOCAL_', native: 9042, storage: 7000, jmx: 7199 },
  test: { prefix: 'CASSANDRA_TEST_', native: 19042, storage: 17000, jmx: 17199 },
  fault: { prefix: 'CASSANDRA_FAULT_', native: 29042, storage: 27000, jmx: 27199 },
} as const;

export type SingleNodeName = keyof typeof SINGLE_NODES;

/** True for a name of a single local node. */
export function isSingleNodeName(name: string): name is SingleNodeName {
  return Object.hasOwn(SINGLE_NODES, name);
}

/**
 * A single local node. `dev` is what `npm start` uses; `test` is the node the test run
 * starts for itself, on other ports and in another folder so that it never disturbs a
 * developer's running instance; `fault` is the node the fault tests stop and restart,
 * apart from the one every other suite shares.
 */
export function singleNodeSpec(name: SingleNodeName, env: Env = process.env): NodeSpec {
  const ports = SINGLE_NODES[name];
  const nativePort = portFrom(env, `${ports.prefix}PORT`, ports.native);
  const storagePort = portFrom(env, `${ports.prefix}STORAGE_PORT`, ports.storage);
  return {
    name,
    version: env.CASSANDRA_VERSION ?? DEFAULT_CASSANDRA_VERSION,
    clusterName: `market-${name}`,
    datacenter: 'datacenter1',
    rack: 'rack1',
    address: '127.0.0.1',
    nativePort,
    storagePort,
    jmxPort: portFrom(env, `${ports.prefix}JMX_PORT`, ports.jmx),
    seeds: [`127.0.0.1:${storagePort}`],
    heap: { initial: env.CASSANDRA_HEAP_INITIAL ?? '512m', max: env.CASSANDRA_HEAP_MAX ?? '1g' },
    dir: path.join(CASSANDRA_HOME, name),
    startTimeoutSeconds: secondsFrom(env, 'CASSANDRA_START_TIMEOUT_SECONDS', 240),
  };
}
