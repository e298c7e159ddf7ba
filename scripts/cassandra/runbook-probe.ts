import { setTimeout as sleep } from 'node:timers/promises';
import { type Client, types } from 'cassandra-driver';

/**
 * The runbook's probe: small reads and writes at LOCAL_QUORUM through the project's driver
 * settings, into a keyspace of its own (`runbook`, NetworkTopologyStrategy DC1: 3), so that
 * the user sees with figures whether the cluster still serves. Every write is kept, to be
 * read back at the end.
 */
export const PROBE_KEYSPACE = 'runbook';

const CREATE_KEYSPACE = `CREATE KEYSPACE IF NOT EXISTS ${PROBE_KEYSPACE} WITH replication = {'class': 'NetworkTopologyStrategy', 'DC1': 3}`;
const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS ${PROBE_KEYSPACE}.probe (run text, seq int, written_at timestamp, PRIMARY KEY (run, seq))`;
const INSERT = `INSERT INTO ${PROBE_KEYSPACE}.probe (run, seq, written_at) VALUES (?, ?, ?)`;
const SELECT_ONE = `SELECT seq FROM ${PROBE_KEYSPACE}.probe WHERE run = ? AND seq = ?`;
const SELECT_ALL = `SELECT seq FROM ${PROBE_KEYSPACE}.probe WHERE run = ?`;

const QUORUM = { prepare: true, isIdempotent: true, consistency: types.consistencies.localQuorum };

/** Creates the probe keyspace and table if missing (DDL is never prepared). */
export async function createProbeSchema(client: Client): Promise<void> {
  await client.execute(CREATE_KEYSPACE, [], { prepare: false });
  await client.execute(CREATE_TABLE, [], { prepare: false });
}

export async function dropProbeSchema(client: Client): Promise<void> {
  await client.execute(`DROP KEYSPACE IF EXISTS ${PROBE_KEYSPACE}`, [], { prepare: false });
}

export interface ProbeFigures {
  readonly seconds: number;
  readonly writes: number;
  readonly writesFailed: number;
  readonly reads: number;
  readonly readsFailed: number;
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
  readonly maxMs: number | null;
  readonly errors: readonly string[];
}

function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? null;
}

/** Writes and reads in turn for a bounded time and count; every acknowledged write is remembered. */
export class Probe {
  private seq = 0;
  readonly acknowledged: number[] = [];

  constructor(
    private readonly client: Client,
    readonly run: string,
  ) {}

  /** `ratePerSecond` operations (half writes, half reads of acknowledged rows) for `seconds`. */
  async load(seconds: number, ratePerSecond = 40): Promise<ProbeFigures> {
    const started = Date.now();
    const durations: number[] = [];
    const errors = new Set<string>();
    let writes = 0;
    let writesFailed = 0;
    let reads = 0;
    let readsFailed = 0;
    const pending: Promise<void>[] = [];
    const total = Math.ceil(seconds * ratePerSecond);
    for (let index = 0; index < total; index += 1) {
      const isWrite = index % 2 === 0 || this.acknowledged.length === 0;
      const began = performance.now();
      const operation = isWrite ? this.write() : this.readOne();
      pending.push(
        operation.then(
          () => void durations.push(performance.now() - began),
          (error: unknown) => {
            durations.push(performance.now() - began);
            errors.add(error instanceof Error ? `${error.name}: ${error.message.slice(0, 120)}` : String(error));
            if (isWrite) writesFailed += 1;
            else readsFailed += 1;
          },
        ),
      );
      if (isWrite) writes += 1;
      else reads += 1;
      await sleep(Math.max(0, started + ((index + 1) * 1000) / ratePerSecond - Date.now()));
    }
    await Promise.all(pending);
    durations.sort((a, b) => a - b);
    const round = (value: number | null) => (value === null ? null : Math.round(value * 10) / 10);
    return {
      seconds: Math.round((Date.now() - started) / 100) / 10,
      writes,
      writesFailed,
      reads,
      readsFailed,
      p50Ms: round(percentile(durations, 50)),
      p99Ms: round(percentile(durations, 99)),
      maxMs: round(durations.at(-1) ?? null),
      errors: [...errors],
    };
  }

  /** Reads every row of this run back at QUORUM; returns the acknowledged writes that are missing. */
  async missingWrites(): Promise<number[]> {
    const found = new Set<number>();
    let pageState: string | undefined;
    do {
      const page = await this.client.execute(SELECT_ALL, [this.run], {
        ...QUORUM,
        consistency: types.consistencies.quorum,
        fetchSize: 5000,
        ...(pageState === undefined ? {} : { pageState }),
      });
      for (const row of page.rows) found.add(row.get('seq') as number);
      pageState = page.pageState ?? undefined;
    } while (pageState !== undefined);
    return this.acknowledged.filter((seq) => !found.has(seq));
  }

  private async write(): Promise<void> {
    const seq = this.seq;
    this.seq += 1;
    await this.client.execute(INSERT, [this.run, seq, new Date()], QUORUM);
    this.acknowledged.push(seq);
  }

  private async readOne(): Promise<void> {
    const seq = this.acknowledged[Math.floor(Math.random() * this.acknowledged.length)] ?? 0;
    const result = await this.client.execute(SELECT_ONE, [this.run, seq], QUORUM);
    if (result.rowLength !== 1) throw new Error(`acknowledged write ${seq} not found at LOCAL_QUORUM`);
  }
}
