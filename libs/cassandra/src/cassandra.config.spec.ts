import { InvalidConfigError, parseEnv } from '@market/config';
import { cassandraConfigFromEnv, cassandraEnvSchema, parseContactPoint, parseReplication } from './cassandra.config';

const load = (env: Record<string, string | undefined>) => cassandraConfigFromEnv(parseEnv(cassandraEnvSchema, env));

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    load(env);
  } catch (error) {
    if (error instanceof InvalidConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('Cassandra configuration', () => {
  it('defaults to one local node at LOCAL_QUORUM with pages of 500', () => {
    expect(load({})).toMatchObject({
      contactPoints: [{ host: '127.0.0.1', port: 9042 }],
      localDataCenter: 'datacenter1',
      keyspace: 'market',
      replication: { class: 'SimpleStrategy', replicationFactor: 1 },
      readConsistency: 'LOCAL_QUORUM',
      writeConsistency: 'LOCAL_QUORUM',
      pageSize: 500,
      credentials: null,
      timeSeriesTtlSeconds: { asset: 0, commodity: 0 },
    });
  });

  it('reads a three-node cluster setting', () => {
    expect(
      load({
        CASSANDRA_CONTACT_POINTS: 'cassandra-dc1n1, cassandra-dc1n2:9043,[::1]:9044',
        CASSANDRA_LOCAL_DC: 'DC1',
        CASSANDRA_REPLICATION: 'NetworkTopologyStrategy:DC1=3',
        READ_CONSISTENCY: 'QUORUM',
        CASSANDRA_USERNAME: 'app',
        CASSANDRA_PASSWORD: 'secret',
      }),
    ).toMatchObject({
      contactPoints: [
        { host: 'cassandra-dc1n1', port: 9042 },
        { host: 'cassandra-dc1n2', port: 9043 },
        { host: '::1', port: 9044 },
      ],
      localDataCenter: 'DC1',
      replication: { class: 'NetworkTopologyStrategy', datacenters: { DC1: 3 } },
      readConsistency: 'QUORUM',
      credentials: { username: 'app', password: 'secret' },
    });
  });

  it('treats an empty variable as unset', () => {
    expect(load({ PAGE_SIZE: '', READ_CONSISTENCY: '' })).toMatchObject({
      pageSize: 500,
      readConsistency: 'LOCAL_QUORUM',
    });
  });

  it('names a misspelt consistency level and lists the allowed ones', () => {
    expect(problemsOf({ READ_CONSISTENCY: 'QUORUMM' })).toEqual([
      'READ_CONSISTENCY must be one of ANY, ONE, TWO, THREE, QUORUM, ALL, LOCAL_QUORUM, EACH_QUORUM, SERIAL, LOCAL_SERIAL, LOCAL_ONE (got "QUORUMM")',
    ]);
  });

  it('rejects a negative, fractional or oversized page size with the allowed range', () => {
    for (const bad of ['-1', '0', '1.5', 'abc', '10001']) {
      expect(problemsOf({ PAGE_SIZE: bad })).toEqual([
        `PAGE_SIZE must be an integer between 1 and 10000 (got "${bad}")`,
      ]);
    }
  });

  it('rejects unparsable contact points, naming the bad entry', () => {
    for (const bad of ['bad:host:1', 'host:99999', 'host:', 'under_score', ',', 'a b']) {
      const problems = problemsOf({ CASSANDRA_CONTACT_POINTS: bad });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^CASSANDRA_CONTACT_POINTS must be a comma-separated list of host\[:port\]/);
    }
  });

  it('reports every bad variable at once', () => {
    expect(
      problemsOf({
        READ_CONSISTENCY: 'x',
        WRITE_CONSISTENCY: 'y',
        PAGE_SIZE: '-1',
        CASSANDRA_KEYSPACE: 'Market; DROP',
      }),
    ).toHaveLength(4);
  });

  it('accepts only keyspace names that are safe to put into DDL', () => {
    expect(problemsOf({ CASSANDRA_KEYSPACE: 'market;drop' })[0]).toMatch(
      /^CASSANDRA_KEYSPACE must be a lower-case CQL identifier/,
    );
    expect(load({ CASSANDRA_KEYSPACE: 'market_test_1' }).keyspace).toBe('market_test_1');
  });

  it('parses replication settings and rejects malformed ones', () => {
    expect(parseReplication('SimpleStrategy:3')).toEqual({ class: 'SimpleStrategy', replicationFactor: 3 });
    expect(parseReplication('NetworkTopologyStrategy:DC1=3,DC2=2')).toEqual({
      class: 'NetworkTopologyStrategy',
      datacenters: { DC1: 3, DC2: 2 },
    });
    for (const bad of [
      'SimpleStrategy:0',
      'SimpleStrategy',
      'NetworkTopologyStrategy:DC1',
      "NetworkTopologyStrategy:DC1=3'}",
      'Other:1',
    ]) {
      expect(parseReplication(bad)).toBeNull();
    }
  });

  it('parses host[:port] contact points including bracketed IPv6', () => {
    expect(parseContactPoint('10.0.0.5')).toEqual({ host: '10.0.0.5', port: 9042 });
    expect(parseContactPoint('[fe80::1]:19042')).toEqual({ host: 'fe80::1', port: 19042 });
    expect(parseContactPoint('[nothex]:1')).toBeNull();
    expect(parseContactPoint('host:0')).toBeNull();
  });
});
