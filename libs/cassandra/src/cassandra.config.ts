import { enumVar, integerVar, stringVar } from '@market/config';
import { z } from 'zod';

export const CONSISTENCY_LEVELS = [
  'ANY',
  'ONE',
  'TWO',
  'THREE',
  'QUORUM',
  'ALL',
  'LOCAL_QUORUM',
  'EACH_QUORUM',
  'SERIAL',
  'LOCAL_SERIAL',
  'LOCAL_ONE',
] as const;
export type ConsistencyName = (typeof CONSISTENCY_LEVELS)[number];

export interface ContactPoint {
  readonly host: string;
  readonly port: number;
}

export type Replication =
  | { readonly class: 'SimpleStrategy'; readonly replicationFactor: number }
  | { readonly class: 'NetworkTopologyStrategy'; readonly datacenters: Readonly<Record<string, number>> };

const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const IPV6 = /^[0-9A-Fa-f:.]+$/;

/** Parses `host[:port]` or `[ipv6][:port]`; null when it is not one. */
export function parseContactPoint(text: string, defaultPort = 9042): ContactPoint | null {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  const plain = /^([^:[\]]+)(?::(\d+))?$/.exec(text);
  const match = bracketed ?? plain;
  if (match === null) return null;
  const host = match[1] ?? '';
  const port = match[2] === undefined ? defaultPort : Number(match[2]);
  const hostIsValid = bracketed === null ? HOSTNAME.test(host) : IPV6.test(host) && host.includes(':');
  if (!hostIsValid || !Number.isInteger(port) || port < 1 || port > 65535) return null;
  return { host, port };
}

const contactPointsVar = z
  .string()
  .transform((text, context) => {
    const entries = text.split(',').map((entry) => entry.trim());
    const points = entries.map((entry) => parseContactPoint(entry));
    const bad = entries.filter((_, index) => points[index] === null);
    if (bad.length > 0 || entries.length === 0) {
      context.addIssue({
        code: 'custom',
        message: `must be a comma-separated list of host[:port] (bad entry: "${bad.join('", "')}")`,
      });
      return z.NEVER;
    }
    return points.filter((point): point is ContactPoint => point !== null);
  })
  .default([{ host: '127.0.0.1', port: 9042 }]);

/** `SimpleStrategy:1` or `NetworkTopologyStrategy:DC1=3,DC2=3`. */
export function parseReplication(text: string): Replication | null {
  const simple = /^SimpleStrategy:(\d{1,2})$/.exec(text);
  if (simple !== null) {
    const replicationFactor = Number(simple[1]);
    return replicationFactor >= 1 ? { class: 'SimpleStrategy', replicationFactor } : null;
  }
  const topology = /^NetworkTopologyStrategy:(.+)$/.exec(text);
  if (topology === null) return null;
  const datacenters: Record<string, number> = {};
  for (const pair of (topology[1] ?? '').split(',')) {
    const dc = /^([A-Za-z0-9_-]+)=(\d{1,2})$/.exec(pair.trim());
    if (dc === null || Number(dc[2]) < 1) return null;
    datacenters[dc[1] ?? ''] = Number(dc[2]);
  }
  return { class: 'NetworkTopologyStrategy', datacenters };
}

const replicationVar = z
  .string()
  .transform((text, context) => {
    const replication = parseReplication(text);
    if (replication === null) {
      context.addIssue({
        code: 'custom',
        message: 'must be SimpleStrategy:<rf> or NetworkTopologyStrategy:<dc>=<rf>[,<dc>=<rf>...]',
      });
      return z.NEVER;
    }
    return replication;
  })
  .default({ class: 'SimpleStrategy', replicationFactor: 1 });

/** The Cassandra variables both apps and the tools read; see README's configuration table. */
export const cassandraEnvSchema = z.object({
  CASSANDRA_CONTACT_POINTS: contactPointsVar,
  CASSANDRA_LOCAL_DC: stringVar('datacenter1', {
    regex: /^[A-Za-z0-9_.-]+$/,
    description: 'a datacenter name (letters, digits, _ . -)',
  }),
  // Interpolated into DDL, so it is held to CQL's unquoted identifier rules.
  CASSANDRA_KEYSPACE: stringVar('market', {
    regex: /^[a-z][a-z0-9_]{0,47}$/,
    description: 'a lower-case CQL identifier (a-z, 0-9, _; at most 48 characters)',
  }),
  CASSANDRA_REPLICATION: replicationVar,
  CASSANDRA_USERNAME: z.string().optional(),
  CASSANDRA_PASSWORD: z.string().optional(),
  READ_CONSISTENCY: enumVar(CONSISTENCY_LEVELS, 'LOCAL_QUORUM'),
  WRITE_CONSISTENCY: enumVar(CONSISTENCY_LEVELS, 'LOCAL_QUORUM'),
  PAGE_SIZE: integerVar(500, 1, 10000),
  CASSANDRA_CONNECT_TIMEOUT_MS: integerVar(5000, 100, 120000),
  // Just above the server's read_request_timeout (5 s), so the server's own timeout
  // error arrives first and carries a reason; the client timeout is the backstop.
  CASSANDRA_REQUEST_TIMEOUT_MS: integerVar(6000, 100, 120000),
  // Reads only (ReadSpeculativeExecutionPolicy): a second replica is asked when the first has
  // not answered in this time, so a stalled node costs a read this much, not the 6 s timeout.
  // Near the p99 of a read on a busy node (measured by test/cluster); 0 turns it off.
  CASSANDRA_SPECULATIVE_DELAY_MS: integerVar(250, 0, 60000),
  CASSANDRA_CONNECT_ATTEMPTS: integerVar(10, 1, 1000),
  // How long the migrator waits for the nodes to agree on the schema before each DDL; a
  // node left on another version by a failure needs an operator (docs/runbook.md).
  CASSANDRA_SCHEMA_AGREEMENT_TIMEOUT_MS: integerVar(60000, 0, 3600000),
  ASSET_TIMESERIES_TTL_SECONDS: integerVar(0, 0, 630720000),
  COMMODITY_TIMESERIES_TTL_SECONDS: integerVar(0, 0, 630720000),
});
export type CassandraEnv = z.output<typeof cassandraEnvSchema>;

/** The validated settings the CassandraModule and the migrator are built from. */
export interface CassandraConfig {
  readonly contactPoints: readonly ContactPoint[];
  readonly localDataCenter: string;
  readonly keyspace: string;
  readonly replication: Replication;
  readonly credentials: { readonly username: string; readonly password: string } | null;
  readonly readConsistency: ConsistencyName;
  readonly writeConsistency: ConsistencyName;
  readonly pageSize: number;
  readonly connectTimeoutMs: number;
  readonly requestTimeoutMs: number;
  /** 0 turns speculative execution off. */
  readonly speculativeDelayMs: number;
  readonly connectAttempts: number;
  /** The migrator's bound on waiting for schema agreement before each DDL. */
  readonly schemaAgreementTimeoutMs: number;
  readonly timeSeriesTtlSeconds: { readonly asset: number; readonly commodity: number };
}

/** Shapes the validated variables into the CassandraConfig. */
export function cassandraConfigFromEnv(env: CassandraEnv): CassandraConfig {
  const { CASSANDRA_USERNAME: username, CASSANDRA_PASSWORD: password } = env;
  return {
    contactPoints: env.CASSANDRA_CONTACT_POINTS,
    localDataCenter: env.CASSANDRA_LOCAL_DC,
    keyspace: env.CASSANDRA_KEYSPACE,
    replication: env.CASSANDRA_REPLICATION,
    credentials: username !== undefined && password !== undefined ? { username, password } : null,
    readConsistency: env.READ_CONSISTENCY,
    writeConsistency: env.WRITE_CONSISTENCY,
    pageSize: env.PAGE_SIZE,
    connectTimeoutMs: env.CASSANDRA_CONNECT_TIMEOUT_MS,
    requestTimeoutMs: env.CASSANDRA_REQUEST_TIMEOUT_MS,
    speculativeDelayMs: env.CASSANDRA_SPECULATIVE_DELAY_MS,
    connectAttempts: env.CASSANDRA_CONNECT_ATTEMPTS,
    schemaAgreementTimeoutMs: env.CASSANDRA_SCHEMA_AGREEMENT_TIMEOUT_MS,
    timeSeriesTtlSeconds: {
      asset: env.ASSET_TIMESERIES_TTL_SECONDS,
      commodity: env.COMMODITY_TIMESERIES_TTL_SECONDS,
    },
  };
}
