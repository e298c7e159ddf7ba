/**
 * Finds the Cassandra that the integration and e2e suites (Jest's global set-up) and the
 * benchmarks run against, and publishes it to them (and to test workers) as
 * CASSANDRA_CONTACT_POINTS / CASSANDRA_LOCAL_DC.
 *
 * In this order:
 *   1. CASSANDRA_CONTACT_POINTS, if set: an existing cluster; nothing is started.
 *   2. testcontainers, if a Docker engine answers: a throw-away cassandra:5.0 container.
 *   3. otherwise the project's own provisioned node, instance `test` (its own folder and
 *      ports, so a developer's `dev` node is never touched), stopped again at the end
 *      unless CASSANDRA_TEST_KEEP=1 (faster reruns) or it was already running (whoever
 *      started it stops it).
 * TEST_CASSANDRA=external|testcontainers|provisioned forces one path; `none` (set by
 * `npm run test:unit`) starts nothing.
 */
import fs from 'node:fs';
import { singleNodeSpec } from './node-spec';
import { startNode, stopNode } from './node-process';

type Source = 'external' | 'testcontainers' | 'provisioned';

interface RunningCassandra {
  readonly source: Source;
  stop(): Promise<void>;
}

const CASSANDRA_IMAGE = 'cassandra:5.0';
const log = (line: string): void => {
  process.stdout.write(`[test-cassandra] ${line}\n`);
};

async function dockerEngineAnswers(): Promise<boolean> {
  if (process.env.DOCKER_HOST === undefined && !fs.existsSync('/var/run/docker.sock')) return false;
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

async function chooseSource(): Promise<Source> {
  const forced = process.env.TEST_CASSANDRA;
  if (forced === 'external' || forced === 'testcontainers' || forced === 'provisioned') return forced;
  if (forced !== undefined && forced !== '') {
    throw new Error(`TEST_CASSANDRA must be external, testcontainers or provisioned (got "${forced}")`);
  }
  if (process.env.CASSANDRA_CONTACT_POINTS !== undefined && process.env.CASSANDRA_CONTACT_POINTS !== '')
    return 'external';
  return (await dockerEngineAnswers()) ? 'testcontainers' : 'provisioned';
}

async function startTestcontainer(): Promise<RunningCassandra> {
  const { CassandraContainer } = await import('@testcontainers/cassandra');
  log(`starting ${CASSANDRA_IMAGE} with testcontainers`);
  const container = await new CassandraContainer(CASSANDRA_IMAGE).start();
  process.env.CASSANDRA_CONTACT_POINTS = container.getContactPoint();
  process.env.CASSANDRA_LOCAL_DC = container.getDatacenter();
  return { source: 'testcontainers', stop: async () => void (await container.stop()) };
}

async function startProvisionedNode(): Promise<RunningCassandra> {
  const spec = singleNodeSpec('test');
  const result = await startNode(spec, log);
  log(
    result.alreadyRunning
      ? `reusing the running test node (pid ${result.pid}) on ${spec.address}:${spec.nativePort}`
      : `test node up on ${spec.address}:${spec.nativePort} after ${result.startSeconds.toFixed(1)}s`,
  );
  process.env.CASSANDRA_CONTACT_POINTS = `${spec.address}:${spec.nativePort}`;
  process.env.CASSANDRA_LOCAL_DC = spec.datacenter;
  const keep = process.env.CASSANDRA_TEST_KEEP === '1';
  return {
    source: 'provisioned',
    stop: async () => {
      if (keep || result.alreadyRunning) {
        const why = keep ? 'CASSANDRA_TEST_KEEP=1' : 'it was running before this run';
        log(`leaving the test node running (${why}); stop it with npm run cassandra:stop -- --instance test`);
        return;
      }
      await stopNode(spec);
      log('test node stopped');
    },
  };
}

const state = globalThis as typeof globalThis & { testCassandra?: RunningCassandra };

/** Makes a Cassandra available to the tests and says which kind it is. */
export async function setUpCassandraForTests(): Promise<Source | 'none'> {
  if (process.env.TEST_CASSANDRA === 'none') return 'none';
  const source = await chooseSource();
  // For suites about the provisioned node itself (the workers inherit this environment).
  process.env.TEST_CASSANDRA_SOURCE = source;
  if (source === 'external') {
    log(`using the cluster at CASSANDRA_CONTACT_POINTS=${process.env.CASSANDRA_CONTACT_POINTS ?? '(unset)'}`);
    state.testCassandra = { source, stop: () => Promise.resolve() };
    return source;
  }
  state.testCassandra = source === 'testcontainers' ? await startTestcontainer() : await startProvisionedNode();
  return source;
}

export async function tearDownCassandraForTests(): Promise<void> {
  await state.testCassandra?.stop();
}
