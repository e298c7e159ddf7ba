import { policies, types } from 'cassandra-driver';
import { cassandraConfigFromEnv, cassandraEnvSchema } from './cassandra.config';
import { clientOptions, consistencyCode } from './client-options';
import { IdempotentRetryPolicy } from './retry.policy';
import { ReadSpeculativeExecutionPolicy } from './speculative.policy';
import { parseEnv } from '@market/config';

const config = (env: Record<string, string> = {}) => cassandraConfigFromEnv(parseEnv(cassandraEnvSchema, env));

describe('driver options', () => {
  it('maps every consistency name to the driver code', () => {
    expect(consistencyCode('LOCAL_QUORUM')).toBe(types.consistencies.localQuorum);
    expect(consistencyCode('EACH_QUORUM')).toBe(types.consistencies.eachQuorum);
    expect(consistencyCode('ONE')).toBe(types.consistencies.one);
    expect(consistencyCode('LOCAL_SERIAL')).toBe(types.consistencies.localSerial);
  });

  it('replaces the driver defaults: LOCAL_QUORUM, prepared, not idempotent unless declared', () => {
    const options = clientOptions(config());
    expect(options.queryOptions).toMatchObject({
      consistency: types.consistencies.localQuorum,
      serialConsistency: types.consistencies.localSerial,
      prepare: true,
      fetchSize: 500,
      isIdempotent: false,
    });
    expect(options.socketOptions).toMatchObject({ readTimeout: 6000, connectTimeout: 5000 });
    expect(options.pooling?.heartBeatInterval).toBe(5000);
    expect(options.encoding?.copyBuffer).toBe(false);
    expect(options.policies?.retry).toBeInstanceOf(IdempotentRetryPolicy);
    expect(options.policies?.loadBalancing).toBeInstanceOf(policies.loadBalancing.DefaultLoadBalancingPolicy);
  });

  it('formats IPv6 contact points with brackets and omits the keyspace when asked', () => {
    const options = clientOptions(config({ CASSANDRA_CONTACT_POINTS: '[::1]:9042,db1' }), false);
    expect(options.contactPoints).toEqual(['[::1]:9042', 'db1:9042']);
    expect(options.keyspace).toBeUndefined();
  });

  it("dials discovered nodes on the contact points' port, not the driver's default 9042", () => {
    expect(clientOptions(config()).protocolOptions?.port).toBe(9042);
    const cluster = config({ CASSANDRA_CONTACT_POINTS: '127.0.0.1:9142,127.0.0.2:9142,127.0.0.3:9142' });
    expect(clientOptions(cluster).protocolOptions?.port).toBe(9142);
  });

  it('speculates reads only, by default, and not at all with a delay of 0', () => {
    const policy = clientOptions(config()).policies?.speculativeExecution;
    expect(policy).toBeInstanceOf(ReadSpeculativeExecutionPolicy);
    const plan = (query: string | object[]) => (policy?.newPlan('ks', query).nextExecution as () => number)();
    expect(plan('SELECT ts FROM asset_timeseries WHERE asset_id = ?')).toBe(250);
    expect(plan('INSERT INTO asset_timeseries (asset_id) VALUES (?)')).toBe(-1);
    expect(plan([{ query: 'INSERT INTO asset_timeseries (asset_id) VALUES (?)' }])).toBe(-1);
    expect(
      clientOptions(config({ CASSANDRA_SPECULATIVE_DELAY_MS: '0' })).policies?.speculativeExecution,
    ).toBeInstanceOf(policies.speculativeExecution.NoSpeculativeExecutionPolicy);
  });

  it('passes credentials through a plain-text auth provider', () => {
    expect(clientOptions(config()).authProvider).toBeUndefined();
    expect(clientOptions(config({ CASSANDRA_USERNAME: 'u', CASSANDRA_PASSWORD: 'p' })).authProvider).toBeDefined();
  });
});

describe('IdempotentRetryPolicy', () => {
  const policy = new IdempotentRetryPolicy();
  const info = (idempotent: boolean, nbRetry: number) =>
    ({
      query: 'q',
      nbRetry,
      executionOptions: { isIdempotent: () => idempotent },
    }) as unknown as policies.retry.OperationInfo;
  // The decision codes exist on RetryPolicy at runtime but not in the driver's typings.
  const { retryDecision } = policies.retry.RetryPolicy as unknown as {
    retryDecision: { retry: number; rethrow: number };
  };
  const RETRY = retryDecision.retry;
  const RETHROW = retryDecision.rethrow;
  const cl = types.consistencies.localQuorum;

  it('retries an idempotent request once, on the next host, whatever failed', () => {
    for (const decision of [
      policy.onReadTimeout(info(true, 0), cl, 1, 2, false),
      policy.onWriteTimeout(info(true, 0), cl, 1, 2, 'SIMPLE'),
      policy.onUnavailable(info(true, 0), cl, 2, false),
      policy.onRequestError(info(true, 0), cl, new Error('socket closed')),
    ]) {
      expect(decision).toMatchObject({ decision: RETRY, useCurrentHost: false });
    }
  });

  it('never retries twice', () => {
    expect(policy.onWriteTimeout(info(true, 1), cl, 1, 2, 'SIMPLE').decision).toBe(RETHROW);
    expect(policy.onRequestError(info(true, 1), cl, new Error('x')).decision).toBe(RETHROW);
  });

  it('never retries a statement that is not idempotent, such as an LWT', () => {
    expect(policy.onWriteTimeout(info(false, 0), cl, 0, 1, 'CAS').decision).toBe(RETHROW);
    expect(policy.onRequestError(info(false, 0), cl, new Error('x')).decision).toBe(RETHROW);
    expect(policy.onReadTimeout(info(false, 0), cl, 1, 2, true).decision).toBe(RETHROW);
  });
});
