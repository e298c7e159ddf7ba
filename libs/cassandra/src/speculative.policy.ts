import { policies } from 'cassandra-driver';

const NEVER = { nextExecution: () => -1 };

/**
 * Speculative execution for reads only: when an idempotent SELECT has no answer after
 * `delayMs`, the same request goes to the next replica too and the first answer wins. A
 * node that stalls (GC pause, frozen host, a partition before the heartbeat notices)
 * then costs a read `delayMs`, not the 6 s request timeout. Writes are never sent twice:
 * a slow write is retried by the retry policy, and doubling batches under stress only
 * adds load. The driver already limits speculation to statements declared idempotent.
 */
export class ReadSpeculativeExecutionPolicy extends policies.speculativeExecution.ConstantSpeculativeExecutionPolicy {
  constructor(delayMs: number, maxSpeculativeExecutions = 1) {
    super(delayMs, maxSpeculativeExecutions);
  }

  override newPlan(keyspace: string, queryInfo: string | object[]): { nextExecution: () => number } {
    const isRead = typeof queryInfo === 'string' && /^\s*SELECT\b/i.test(queryInfo);
    return isRead ? (super.newPlan(keyspace, queryInfo) as { nextExecution: () => number }) : NEVER;
  }
}
