/**
 * Phase (a): the raw cassandra-driver baseline. One prepared single-row INSERT per bar
 * through `executeConcurrent` (concurrency 64), fed from a stream so the million rows are
 * generated as they are sent, never held at once. Decimals are bound as strings.
 */
import { Readable } from 'node:stream';
import { Client, concurrent } from 'cassandra-driver';
import { type CassandraConfig, bucketOf, clientOptions } from '@market/cassandra';
import { type BenchPlan, barsOf } from './bench-plan';
import { cpuMsSince, localCassandraPid, processCpuMs } from '../cpu-time';

export const RAW_CONCURRENCY = 64;

/**
 * Keyspace-qualified, as every statement of the apps: the same unqualified text prepared
 * in one phase's keyspace and run in the next one's makes Cassandra log an error for each.
 */
export const insertInto = (keyspace: string): string =>
  `INSERT INTO ${keyspace}.asset_timeseries (asset_id, bucket, ts, price, open, high, low, volume, source_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`;

export interface PhaseResult {
  readonly rows: number;
  readonly ms: number;
  /** CPU time of the client process during the run. */
  readonly clientCpuMs: number | null;
  /** CPU time of the local Cassandra JVM during the run; null when its pid is unknown. */
  readonly serverCpuMs: number | null;
}

function* insertParams(plan: BenchPlan): Generator<unknown[]> {
  for (const asset of plan.assets) {
    for (const bar of barsOf(plan, asset)) {
      yield [asset, bucketOf(bar.ts), bar.ts, bar.close, bar.open, bar.high, bar.low, bar.volume, 'synthetic'];
    }
  }
}

/** Inserts every bar of the plan into the keyspace of `config`, row by row. */
export async function rawDriverInserts(config: CassandraConfig, plan: BenchPlan): Promise<PhaseResult> {
  // The same driver options as the apps (pooling, retry policy, consistency), so only the write pattern differs.
  const client = new Client(clientOptions(config));
  await client.connect();
  try {
    const serverPid = localCassandraPid(config.contactPoints);
    const serverBefore = processCpuMs(serverPid);
    const clientBefore = process.cpuUsage();
    const started = performance.now();
    const result = await concurrent.executeConcurrent(
      client,
      insertInto(config.keyspace),
      Readable.from(insertParams(plan)),
      {
        concurrencyLevel: RAW_CONCURRENCY,
        collectResults: false,
      },
    );
    const ms = performance.now() - started;
    const clientCpu = process.cpuUsage(clientBefore);
    const serverCpuMs = cpuMsSince(serverPid, serverBefore);
    if (result.errors.length > 0) throw new Error(`(a) had ${result.errors.length} failed inserts`);
    return { rows: result.totalExecuted, ms, clientCpuMs: (clientCpu.user + clientCpu.system) / 1000, serverCpuMs };
  } finally {
    await client.shutdown();
  }
}
