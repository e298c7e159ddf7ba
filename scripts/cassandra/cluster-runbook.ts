/**
 * npm run cluster:runbook [-- --node 2 --down-seconds 20 --no-repair --keep]
 *
 * The seed's "fail a node" runbook (docs/runbook.md, "A Cassandra node fails"), run for real
 * on the local three-node cluster: check the ring, put reads and writes on it, kill a node,
 * watch the load go on and the ring and hints react, restart the node, wait for UN, read
 * every acknowledged write back, repair. Each step says what to look for. Every wait is
 * bounded; the whole run takes about two minutes.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Client } from 'cassandra-driver';
import { cassandraConfigFromEnv, cassandraEnvSchema, clientOptions } from '@market/cassandra';
import { parseEnv } from '@market/config';
import { allUp, ringStates, waitForRing } from './cluster-ring';
import { CLUSTER_SIZE, clusterContactPoints, clusterNodeSpecs } from './cluster-spec';
import { nodetool, runningPid, startNode, stopNode } from './node-process';
import { PROBE_KEYSPACE, Probe, type ProbeFigures, createProbeSchema, dropProbeSchema } from './runbook-probe';

const specs = clusterNodeSpecs();
const STEPS = 7;
let step = 0;

const say = (line = ''): void => console.log(line);
const title = (text: string): void => {
  step += 1;
  say(`\n━━ Step ${step}/${STEPS} — ${text}`);
};
const observe = (text: string): void => say(`   ▶ observe: ${text}`);
const indent = (text: string): string =>
  text
    .trimEnd()
    .split('\n')
    .map((line) => `     ${line}`)
    .join('\n');

function figuresLine(name: string, figures: ProbeFigures): string {
  return (
    `${name.padEnd(12)} ${String(figures.seconds).padStart(5)} s  writes ${figures.writes} (${figures.writesFailed} failed)  ` +
    `reads ${figures.reads} (${figures.readsFailed} failed)  p50 ${figures.p50Ms ?? '-'} ms  p99 ${figures.p99Ms ?? '-'} ms  max ${figures.maxMs ?? '-'} ms` +
    (figures.errors.length > 0 ? `\n${indent(figures.errors.join('\n'))}` : '')
  );
}

function options() {
  const { values } = parseArgs({
    options: {
      node: { type: 'string', default: '2' },
      'down-seconds': { type: 'string', default: '20' },
      'no-repair': { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
    },
  });
  const node = Number(values.node);
  const downSeconds = Number(values['down-seconds']);
  if (!Number.isInteger(node) || node < 1 || node > CLUSTER_SIZE)
    throw new Error(`--node must be 1 to ${CLUSTER_SIZE}`);
  if (!Number.isFinite(downSeconds) || downSeconds < 5 || downSeconds > 600) {
    throw new Error('--down-seconds must be between 5 and 600');
  }
  return { node, downSeconds, repair: !values['no-repair'], keep: values.keep };
}

async function main(): Promise<number> {
  const { node, downSeconds, repair, keep } = options();
  const victim = specs[node - 1];
  const witness = specs.find((spec) => spec !== victim);
  if (victim === undefined || witness === undefined) throw new Error('no such node');
  const figures: [string, ProbeFigures][] = [];

  say('Runbook: a Cassandra node fails (docs/runbook.md), on the local cluster 127.0.0.1-3, RF 3, LOCAL_QUORUM.');

  title('check that the cluster is healthy (nodetool status)');
  const notRunning = specs.filter((spec) => runningPid(spec) === null);
  if (notRunning.length > 0) {
    say(
      `   ${notRunning.map((spec) => spec.name).join(', ')} not running. Start the cluster first: npm run cluster:start`,
    );
    return 1;
  }
  say(indent(nodetool(witness, ['status'])));
  if (!allUp(specs)(ringStates(specs))) {
    say('   not every node is UN: fix that first (npm run cluster:status, npm run cluster:start).');
    return 1;
  }
  observe('three lines starting with UN (Up, Normal); with RF 3 each node owns 100 % of the data.');

  const config = cassandraConfigFromEnv(
    parseEnv(cassandraEnvSchema, {
      ...process.env,
      CASSANDRA_CONTACT_POINTS: clusterContactPoints(specs),
      CASSANDRA_LOCAL_DC: 'DC1',
      CASSANDRA_KEYSPACE: PROBE_KEYSPACE,
    }),
  );
  // The apps' own driver settings: LOCAL_QUORUM, token/DC-aware, idempotent retry, heartbeat.
  const client = new Client(clientOptions(config, false));
  await client.connect();
  try {
    await createProbeSchema(client);
    const probe = new Probe(client, `run-${randomBytes(3).toString('hex')}`);

    title('baseline: reads and writes at LOCAL_QUORUM for 10 s, through the apps’ driver settings');
    figures.push(['steady', await probe.load(10)]);
    say(`   ${figuresLine(...(figures.at(-1) as [string, ProbeFigures]))}`);
    observe('0 failed; note p50/p99 — that is the steady state.');

    title(`kill node ${node} (${victim.address}) with SIGKILL — a crashed host, not a polite stop`);
    await stopNode(victim, 0, 'SIGKILL');
    say(`   node ${node} killed (same as: npm run cluster:kill -- ${node})`);
    observe('nothing yet; the driver sees its connections close and sends those requests to the other replicas.');

    title(`keep the load on for ${downSeconds} s while node ${node} is down`);
    figures.push([`node ${node} down`, await probe.load(downSeconds)]);
    say(`   ${figuresLine(...(figures.at(-1) as [string, ProbeFigures]))}`);
    observe('still 0 failed: two of three replicas make LOCAL_QUORUM. Latency may bump a little.');
    const convictMs = await waitForRing(
      specs,
      `node ${node} DN`,
      (states) => states.get(victim.address) === 'DN',
      60_000,
    );
    say(indent(nodetool(witness, ['status'])));
    observe(
      `the line of ${victim.address} now starts with DN (Down, Normal); gossip convicted it (${convictMs} ms after the check began).`,
    );
    say(indent(nodetool(witness, ['listpendinghints'])));
    observe(`the live nodes keep hints (the writes node ${node} missed) for up to max_hint_window (3 h).`);

    title(`restart node ${node} and wait until it is UN`);
    const restart = await startNode(victim, (line) => say(`   ${line}`));
    const ringMs = await waitForRing(specs, 'every node UN', allUp(specs), 120_000);
    say(
      `   node ${node} answered CQL after ${restart.startSeconds.toFixed(1)} s; the ring was all UN ${(ringMs / 1000).toFixed(1)} s later`,
    );
    say(indent(nodetool(witness, ['status'])));
    observe('three UN lines again (npm run cluster:start-node does the same).');
    const hintsMs = await waitForRing(
      specs,
      'hints delivered',
      () => !/\d+\.\d+\.\d+\.\d+/.test(nodetool(witness, ['listpendinghints']).split('\n').slice(1).join('\n')),
      120_000,
    ).catch((error: unknown) => (error instanceof Error ? error.message : String(error)));
    say(
      typeof hintsMs === 'number'
        ? `   hints replayed to node ${node} within ${(hintsMs / 1000).toFixed(1)} s`
        : `   ${hintsMs}`,
    );
    say(indent(nodetool(victim, ['compactionstats'])));
    observe(
      'hints drained (listpendinghints empty); pending compactions settle to 0 — the seed’s "watch PendingCompactions".',
    );

    title('load again, then read every acknowledged write back at QUORUM');
    figures.push(['whole again', await probe.load(10)]);
    say(`   ${figuresLine(...(figures.at(-1) as [string, ProbeFigures]))}`);
    const missing = await probe.missingWrites();
    say(`   ${probe.acknowledged.length} writes acknowledged, ${missing.length} missing when read back at QUORUM`);
    observe('0 missing: every write the cluster acknowledged survived the crash.');

    title('repair');
    const downFor = downSeconds;
    say(
      `   node ${node} was down about ${downFor} s, far below max_hint_window (3 h): hints covered it and no repair is required.\n` +
        '   Down longer than 3 h: run `nodetool repair --full market` on that node once it is UN;\n' +
        '   down longer than gc_grace_seconds (1 day for the time-series tables): replace it instead (docs/runbook.md).',
    );
    if (repair) {
      const started = Date.now();
      const output = nodetool(victim, ['repair', '--full', PROBE_KEYSPACE]);
      // Each session line lists every token range repaired: keep the first 140 characters.
      say(indent(output.replace(/^(.{140}).+$/gm, '$1 …')));
      say(
        `   repair of keyspace ${PROBE_KEYSPACE} on node ${node} took ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
      observe('"Repair completed successfully"; on the real keyspace: nodetool repair --full market.');
    }

    say('\nSummary (reads and writes at LOCAL_QUORUM):');
    for (const [name, phase] of figures) say(`   ${figuresLine(name, phase)}`);
    const failed = figures.reduce((sum, [, phase]) => sum + phase.writesFailed + phase.readsFailed, 0);
    say(
      failed === 0 && missing.length === 0
        ? `   ✔ node ${node} failed and came back: 0 failed requests, 0 lost writes.`
        : `   ✘ ${failed} failed requests, ${missing.length} lost writes: see docs/runbook.md, "A Cassandra node fails".`,
    );
    return failed === 0 && missing.length === 0 ? 0 : 1;
  } finally {
    if (runningPid(victim) === null) await startNode(victim, (line) => say(`   ${line}`));
    if (!keep) await dropProbeSchema(client).catch(() => undefined);
    await client.shutdown();
  }
}

// A run never outlives this, whatever hangs.
const DEADLINE_MS = 15 * 60_000;
setTimeout(() => {
  console.error(`[runbook] still running after ${DEADLINE_MS / 60_000} min: giving up`);
  process.exit(1);
}, DEADLINE_MS).unref();

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[runbook] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
