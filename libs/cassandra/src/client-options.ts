import { auth, type ClientOptions, policies, types } from 'cassandra-driver';
import type { CassandraConfig, ConsistencyName } from './cassandra.config';
import { IdempotentRetryPolicy } from './retry.policy';
import { ReadSpeculativeExecutionPolicy } from './speculative.policy';

/** The driver's numeric code for a consistency name (LOCAL_QUORUM -> localQuorum). */
export function consistencyCode(name: ConsistencyName): types.consistencies {
  const key = name.toLowerCase().replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
  return types.consistencies[key as keyof typeof types.consistencies];
}

/**
 * Driver options from our config. The driver's defaults are not ours: it reads and
 * writes at LOCAL_ONE, treats every statement as non-idempotent and rethrows most
 * timeouts; see SPEC §9 for why each setting below differs.
 */
export function clientOptions(config: CassandraConfig, withKeyspace = true): ClientOptions {
  const { localDataCenter } = config;
  return {
    contactPoints: config.contactPoints.map(({ host, port }) =>
      host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`,
    ),
    localDataCenter,
    // The driver learns the other nodes from system.peers, which holds no port: it dials each
    // at protocolOptions.port (9042 unless set). A cluster on another port (the local one is
    // on 9142) would otherwise be reached only through its contact points, and a stranger on
    // 9042 of the same address taken for a node. One native port per cluster, as Cassandra has.
    protocolOptions: { port: config.contactPoints[0]?.port ?? 9042 },
    ...(withKeyspace ? { keyspace: config.keyspace } : {}),
    ...(config.credentials === null
      ? {}
      : { authProvider: new auth.PlainTextAuthProvider(config.credentials.username, config.credentials.password) }),
    queryOptions: {
      consistency: consistencyCode(config.readConsistency),
      serialConsistency: types.consistencies.localSerial,
      prepare: true,
      fetchSize: config.pageSize,
      // Each statement declares its own idempotence; unknown ones are never retried.
      isIdempotent: false,
    },
    socketOptions: {
      connectTimeout: config.connectTimeoutMs,
      readTimeout: config.requestTimeoutMs,
      keepAlive: true,
    },
    encoding: {
      // Blob values are handed over as views of the response frame instead of copies. The
      // only blobs read are the decimals and volumes of price rows (price-point.ts), turned
      // into text at once: a copy of each was 5 per row, thousands per page, all garbage.
      copyBuffer: false,
    },
    pooling: {
      // Detects a silently dead node within seconds instead of at the next request.
      heartBeatInterval: 5000,
    },
    policies: {
      // Token-aware routing over the local DC's nodes (the driver's default, made explicit).
      loadBalancing: new policies.loadBalancing.DefaultLoadBalancingPolicy({ localDc: localDataCenter }),
      retry: new IdempotentRetryPolicy(),
      reconnection: new policies.reconnection.ExponentialReconnectionPolicy(500, 30_000, false),
      speculativeExecution:
        config.speculativeDelayMs > 0
          ? new ReadSpeculativeExecutionPolicy(config.speculativeDelayMs)
          : new policies.speculativeExecution.NoSpeculativeExecutionPolicy(),
    },
  };
}
