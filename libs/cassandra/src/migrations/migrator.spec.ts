import type { Client } from 'cassandra-driver';
import type { CassandraConfig } from '../cassandra.config';
import { Migrator } from './migrator';
import { SchemaDisagreementError } from './schema-agreement';

/**
 * The migrator's control flow around schema agreement, against a fake driver client: two
 * nodes whose schema versions the test scripts, and a DDL statement that fails once the way
 * Cassandra fails it on a split schema ("Unknown CF <id>"). The real split, made with
 * `nodetool disablegossip`, is in test/cluster/schema-split.cluster-spec.ts.
 */
const CREATE_KEYSPACE = /^CREATE KEYSPACE IF NOT EXISTS/;

interface FakeCluster {
  /** Schema version of each node, as `SELECT schema_version FROM system.local` on that node answers. */
  versions: Record<string, string>;
  /** Statements run, in order (the schema-version questions left out). */
  readonly statements: string[];
  /** What the next CREATE KEYSPACE does: throw (and leave the nodes split), or succeed. */
  createKeyspaceFailures: number;
  /** Schema-version checks (every node asked once) made so far while the nodes were split. */
  splitChecks: number;
  /** After this many checks while split, the nodes agree again (Infinity: never). */
  convergeAfter: number;
}

function fakeClient(cluster: FakeCluster): Client {
  const host = (address: string) => ({ address: `${address}:9042`, isUp: () => true });
  const hosts = [host('10.0.0.1'), host('10.0.0.2')];
  const rows = (values: Record<string, unknown>[]) => ({
    rows: values.map((value) => ({ get: (name: string) => value[name] })),
    first: () => ({ get: (name: string) => values[0]?.[name] }),
    wasApplied: () => true,
    info: { isSchemaInAgreement: true },
  });
  const execute = async (query: string, _params: unknown[], options: { host?: { address: string } } = {}) => {
    await Promise.resolve();
    if (query === 'SELECT schema_version FROM system.local') {
      const address = (options.host?.address ?? '').replace(/:\d+$/, '');
      // Every check asks 10.0.0.1 first: a check begins there.
      if (address === '10.0.0.1' && new Set(Object.values(cluster.versions)).size > 1) {
        cluster.splitChecks += 1;
        if (cluster.splitChecks > cluster.convergeAfter) cluster.versions = { '10.0.0.1': 'v2', '10.0.0.2': 'v2' };
      }
      return rows([{ schema_version: { toString: () => cluster.versions[address] } }]);
    }
    cluster.statements.push(query);
    if (CREATE_KEYSPACE.test(query) && cluster.createKeyspaceFailures > 0) {
      cluster.createKeyspaceFailures -= 1;
      // The coordinator applied part of a change the other node has not seen.
      cluster.versions = { '10.0.0.1': 'v2', '10.0.0.2': 'v1' };
      throw new Error('java.lang.IllegalArgumentException: Unknown CF 07ba8710-0000-0000-0000-000000000000');
    }
    return rows([]);
  };
  return { hosts: { values: () => hosts }, execute } as unknown as Client;
}

const config = {
  keyspace: 'ks_unit',
  replication: { class: 'SimpleStrategy', replicationFactor: 1 },
  readConsistency: 'LOCAL_QUORUM',
  writeConsistency: 'LOCAL_QUORUM',
  schemaAgreementTimeoutMs: 60_000,
  timeSeriesTtlSeconds: { asset: 0, commodity: 0 },
} as unknown as CassandraConfig;

function cluster(overrides: Partial<FakeCluster>): FakeCluster {
  return {
    versions: { '10.0.0.1': 'v1', '10.0.0.2': 'v1' },
    statements: [],
    createKeyspaceFailures: 0,
    splitChecks: 0,
    convergeAfter: 1,
    ...overrides,
  };
}

describe('Migrator: DDL that fails while the nodes disagree on the schema', () => {
  it('waits for agreement and runs the failed DDL again, then goes on', async () => {
    // Split for the check right after the failure and the first of the wait, then whole.
    const state = cluster({ createKeyspaceFailures: 1, convergeAfter: 2 });
    const lines: string[] = [];
    const migrator = new Migrator(fakeClient(state), config, { log: (line) => lines.push(line) });

    await expect(migrator.migrate([])).resolves.toEqual({ applied: [], alreadyApplied: 0, ttlChanges: [] });

    // Run twice: the attempt that met the split, and the retry once the nodes agreed.
    expect(state.statements.filter((statement) => CREATE_KEYSPACE.test(statement))).toHaveLength(2);
    // It went on after the retry: the bookkeeping tables come next.
    expect(state.statements[2]).toMatch(/^CREATE TABLE IF NOT EXISTS ks_unit\.schema_migrations/);
    expect(lines).toEqual([
      'DDL failed while the nodes disagree on the schema; retrying once they agree',
      'waiting for the nodes to agree on the schema (10.0.0.2 on v1; 10.0.0.1 on v2)',
      expect.stringMatching(/^the nodes agree on the schema again after \d+\.\ds$/),
    ]);
  });

  it('does not retry a DDL that failed while the nodes agree: that error is the answer', async () => {
    const state = cluster({});
    const client = fakeClient(state);
    const execute = client.execute.bind(client);
    // A plain refusal that does not split anything (a bad statement, a permission).
    (client as unknown as { execute: typeof execute }).execute = ((query: string, ...rest: unknown[]) => {
      if (CREATE_KEYSPACE.test(query)) {
        state.statements.push(query);
        return Promise.reject(new Error('SyntaxException: line 1:0 no viable alternative'));
      }
      return (execute as (...args: unknown[]) => unknown)(query, ...rest);
    }) as typeof execute;

    await expect(new Migrator(client, config).migrate([])).rejects.toThrow(/SyntaxException.*in: CREATE KEYSPACE/);
    expect(state.statements).toHaveLength(1);
  });

  it('stops with SchemaDisagreementError naming the nodes when they never converge, not with the driver error', async () => {
    const state = cluster({ createKeyspaceFailures: 1, convergeAfter: Infinity });
    const migrator = new Migrator(fakeClient(state), config, { schemaAgreementTimeoutMs: 0 });

    const failure = migrator.migrate([]);
    await expect(failure).rejects.toBeInstanceOf(SchemaDisagreementError);
    await expect(failure).rejects.toThrow(/10\.0\.0\.2 on v1; 10\.0\.0\.1 on v2.*nodetool resetlocalschema/);
    expect(state.statements.filter((statement) => CREATE_KEYSPACE.test(statement))).toHaveLength(1);
  });
});
