import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from 'cassandra-driver';
import { SchemaDisagreementError, groupSchemaVersions, readSchemaVersions, runMigrations } from '@market/cassandra';
import { type RunningApi, startApi } from '../support/api-app';
import { MIGRATIONS_DIR, testConfig } from '../support/test-keyspace';
import { report } from './support/figures';
import { CLUSTER_SPECS, clusterNode, ensureClusterWhole, describeSchemaVersions, log } from './support/cluster-nodes';
import { nodetool } from '../../scripts/cassandra/node-process';
import { waitForRing } from '../../scripts/cassandra/cluster-ring';

/**
 * A schema split, made on purpose: node 3 leaves gossip (`nodetool disablegossip`, its CQL
 * port still answers, so the driver keeps it up) while a table is created through node 1.
 * Nodes 1 and 2 move to the new schema version, node 3 stays on the old one — the state
 * quorum-loss could leave behind (docs/schema-agreement.md). The migrator must wait, then
 * either name the odd node and the remedy or carry on once the node is back; the apps must
 * show the split on `cassandra_schema_versions` and keep serving reads.
 */
const ODD = 3;

const hostOf = (client: Client, address: string) => {
  const host = client.hosts.values().find((candidate) => candidate.address.startsWith(`${address}:`));
  if (host === undefined) throw new Error(`the driver does not know ${address}`);
  return host;
};

async function splitSchema(admin: Client, keyspace: string): Promise<void> {
  nodetool(clusterNode(ODD), ['disablegossip']);
  log(`node ${ODD}: gossip disabled`);
  await waitForRing(
    CLUSTER_SPECS.slice(0, 1),
    `node 1 to see node ${ODD} down`,
    (states) => states.get(clusterNode(ODD).address) === 'DN',
    60_000,
  );
  await admin.execute(`CREATE TABLE IF NOT EXISTS ${keyspace}.split_probe (k int PRIMARY KEY)`, [], {
    host: hostOf(admin, clusterNode(1).address),
    readTimeout: 60_000,
  });
}

function healSchema(): void {
  nodetool(clusterNode(ODD), ['enablegossip']);
  log(`node ${ODD}: gossip enabled again`);
}

describe('a schema split between the nodes', () => {
  let api: RunningApi;
  let baseUrl: string;

  beforeAll(async () => {
    await ensureClusterWhole();
    api = await startApi('cl_split', { AUTH_ENABLED: 'false', RATE_LIMIT_PER_MINUTE: '0' });
    baseUrl = `http://127.0.0.1:${(api.app.getHttpServer().address() as AddressInfo).port}`;
  }, 300_000);

  afterAll(async () => {
    healSchema();
    await ensureClusterWhole();
    await api?.close();
    await ensureClusterWhole();
  }, 300_000);

  it('the migrator waits, then stops naming the odd node and the remedy; apps keep reading and show the split', async () => {
    await splitSchema(api.keyspace.admin, api.keyspace.config.keyspace);

    const versions = groupSchemaVersions(await readSchemaVersions(api.keyspace.admin));
    const described = describeSchemaVersions();
    const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
    const ready = await fetch(`${baseUrl}/health/ready`);
    const read = await fetch(`${baseUrl}/api/v1/assets?limit=5`);

    const startedAt = Date.now();
    const failure = await runMigrations(testConfig('cl_split_new'), MIGRATIONS_DIR, {
      schemaAgreementTimeoutMs: 5000,
    }).then(
      () => null,
      (error: unknown) => error,
    );
    const gaveUpMs = Date.now() - startedAt;

    report(
      'schema split: migrator gives up',
      [
        `driver, each node asked: ${JSON.stringify(versions.groups)}`,
        `nodetool describecluster (node 1): ${JSON.stringify([...described])}`,
        `API: ${/^cassandra_schema_versions .*$/m.exec(metrics)?.[0] ?? '(no gauge)'}, /health/ready ${ready.status}, /api/v1/assets ${read.status}`,
        `migrator stopped after ${gaveUpMs} ms: ${failure instanceof Error ? failure.message : String(failure)}`,
      ].join('\n'),
      { versions: versions.groups, gaveUpMs },
    );

    expect(versions.groups.map((group) => group.addresses)).toEqual([
      [clusterNode(1).address, clusterNode(2).address],
      [clusterNode(ODD).address],
    ]);
    expect(metrics).toMatch(/^cassandra_schema_versions 2$/m);
    expect(ready.status).toBe(200);
    expect(read.status).toBe(200);
    expect(failure).toBeInstanceOf(SchemaDisagreementError);
    const message = failure instanceof Error ? failure.message : '';
    expect(message).toContain(`${clusterNode(ODD).address} on `);
    expect(message).toContain(`\`nodetool resetlocalschema\` on ${clusterNode(ODD).address}`);
    expect(message).not.toMatch(/Unknown CF/);
    expect(gaveUpMs).toBeGreaterThanOrEqual(5000);
    expect(gaveUpMs).toBeLessThan(30_000);
  });

  it('the migrator waits while the nodes disagree and applies every migration once they agree again', async () => {
    if (groupSchemaVersions(await readSchemaVersions(api.keyspace.admin)).groups.length < 2) {
      await splitSchema(api.keyspace.admin, api.keyspace.config.keyspace);
    }
    const config = testConfig('cl_split_new');
    const lines: string[] = [];
    const startedAt = Date.now();
    const migration = runMigrations(config, MIGRATIONS_DIR, {
      schemaAgreementTimeoutMs: 180_000,
      log: (line) => lines.push(line),
    });
    await sleep(10_000);
    healSchema();
    const migrated = await migration;
    const ms = Date.now() - startedAt;
    const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
    report(
      'schema split: migrator survives',
      [
        `gossip back on node ${ODD} 10 s after the migrator started; migrations applied after ${ms} ms`,
        ...lines.slice(0, 4),
        `API afterwards: ${/^cassandra_schema_versions .*$/m.exec(metrics)?.[0] ?? '(no gauge)'}`,
      ].join('\n'),
      { ms, applied: migrated.applied.length },
    );
    try {
      expect(lines[0]).toMatch(/^waiting for the nodes to agree on the schema \(.*127\.0\.0\.3 on /);
      expect(lines[1]).toMatch(/^the nodes agree on the schema again after \d+\.\ds$/);
      expect(migrated.applied.length).toBeGreaterThanOrEqual(2);
      expect(ms).toBeGreaterThanOrEqual(10_000);
      expect(metrics).toMatch(/^cassandra_schema_versions 1$/m);
    } finally {
      await api.keyspace.admin.execute(`DROP KEYSPACE IF EXISTS ${config.keyspace}`, [], { readTimeout: 120_000 });
    }
  });
});
