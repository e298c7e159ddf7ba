import type { Client, types } from 'cassandra-driver';

/** Where a migration's data step reads and writes, and what it calls as it goes. */
export interface DataStep {
  readonly client: Client;
  readonly keyspace: string;
  readonly consistency: { readonly read: types.consistencies; readonly write: types.consistencies };
  /** Called after each unit of work with the count so far (the migrator renews its lock). */
  readonly progress: (done: number) => Promise<void>;
}
