import { setTimeout as sleep } from 'node:timers/promises';
import type { Client, types } from 'cassandra-driver';

/** One node's schema version as that node itself reports it; null when it could not be asked. */
export interface NodeSchemaVersion {
  readonly address: string;
  readonly schemaVersion: string | null;
}

/** The nodes that answered, grouped by the schema version they hold, largest group first. */
export interface SchemaVersionGroups {
  readonly groups: ReadonlyArray<{ readonly schemaVersion: string; readonly addresses: readonly string[] }>;
  /** Nodes the driver considers up that did not answer the question. */
  readonly unanswered: readonly string[];
}

/** Groups the answers by version; ties are ordered by version so the output is stable. */
export function groupSchemaVersions(nodes: readonly NodeSchemaVersion[]): SchemaVersionGroups {
  const byVersion = new Map<string, string[]>();
  const unanswered: string[] = [];
  for (const node of nodes) {
    if (node.schemaVersion === null) unanswered.push(node.address);
    else byVersion.set(node.schemaVersion, [...(byVersion.get(node.schemaVersion) ?? []), node.address]);
  }
  const groups = [...byVersion.entries()]
    .map(([schemaVersion, addresses]) => ({ schemaVersion, addresses: addresses.sort() }))
    .sort(
      (left, right) =>
        right.addresses.length - left.addresses.length || left.schemaVersion.localeCompare(right.schemaVersion),
    );
  return { groups, unanswered: unanswered.sort() };
}

/** True when every node that answered holds one and the same schema version. */
export function inAgreement(groups: SchemaVersionGroups): boolean {
  return groups.groups.length <= 1;
}

/**
 * The nodes to heal: those outside the largest group. Two groups of equal size name no
 * majority, so every node of the smaller-or-equal groups after the first is named; the
 * operator then picks one (the runbook says how).
 */
export function oddNodes(groups: SchemaVersionGroups): string[] {
  return groups.groups.slice(1).flatMap((group) => group.addresses);
}

/** The message a migrator stops with when the nodes never converged: who holds what, and the remedy. */
export function disagreementMessage(groups: SchemaVersionGroups, waitedMs: number): string {
  const holders = groups.groups.map((group) => `${group.addresses.join(', ')} on ${group.schemaVersion}`).join('; ');
  const odd = oddNodes(groups);
  const unanswered =
    groups.unanswered.length > 0 ? ` (${groups.unanswered.join(', ')} did not answer the question)` : '';
  return (
    `the Cassandra nodes disagree on the schema after waiting ${Math.round(waitedMs / 1000)}s: ${holders}${unanswered}. ` +
    `Cassandra 5.0 does not always converge by itself after a node failure: run \`nodetool resetlocalschema\` on ` +
    `${odd.join(' or ')} (or restart that node), check with \`nodetool describecluster\` that one schema version is ` +
    'left, then run the migration again (docs/runbook.md, "Schema disagreement after a node failure")'
  );
}

/** What the migrator does next, given what it saw and how long it has waited. */
export type AgreementStep =
  { readonly kind: 'proceed' } | { readonly kind: 'wait' } | { readonly kind: 'give-up'; readonly message: string };

/** Proceed on agreement; otherwise wait until `timeoutMs` has passed, then give up naming the nodes. */
export function nextAgreementStep(groups: SchemaVersionGroups, waitedMs: number, timeoutMs: number): AgreementStep {
  if (inAgreement(groups)) return { kind: 'proceed' };
  if (waitedMs < timeoutMs) return { kind: 'wait' };
  return { kind: 'give-up', message: disagreementMessage(groups, waitedMs) };
}

/** Thrown when the nodes did not converge within the configured time. */
export class SchemaDisagreementError extends Error {
  override readonly name = 'SchemaDisagreementError';

  constructor(
    message: string,
    readonly groups: SchemaVersionGroups,
  ) {
    super(message);
  }
}

/**
 * Asks every node the driver considers up for its own `system.local.schema_version`. Each
 * node is asked directly, not through one coordinator's `system.peers`: gossip carries a
 * peer's version with a delay, and a node's own answer is what its DDL will act on.
 */
export async function readSchemaVersions(client: Client, timeoutMs = 5000): Promise<NodeSchemaVersion[]> {
  const hosts = client.hosts.values().filter((host) => host.isUp());
  return Promise.all(
    hosts.map(async (host) => {
      const address = host.address.replace(/:\d+$/, '');
      try {
        const result = await client.execute('SELECT schema_version FROM system.local', [], {
          host,
          prepare: false,
          isIdempotent: true,
          readTimeout: timeoutMs,
        });
        const version = result.first()?.get('schema_version') as types.Uuid | null | undefined;
        return { address, schemaVersion: version?.toString() ?? null };
      } catch {
        return { address, schemaVersion: null };
      }
    }),
  );
}

/**
 * Polls the nodes' schema versions until they agree; returns the milliseconds waited.
 * Bounded: throws SchemaDisagreementError after `timeoutMs`, naming nodes, versions and remedy.
 */
export async function awaitSchemaAgreement(
  readVersions: () => Promise<readonly NodeSchemaVersion[]>,
  timeoutMs: number,
  options: { readonly pollMs?: number; readonly onWait?: (groups: SchemaVersionGroups) => void } = {},
): Promise<number> {
  const started = Date.now();
  let announced = false;
  for (;;) {
    const groups = groupSchemaVersions(await readVersions());
    const waited = Date.now() - started;
    const step = nextAgreementStep(groups, waited, timeoutMs);
    switch (step.kind) {
      case 'proceed':
        return waited;
      case 'give-up':
        throw new SchemaDisagreementError(step.message, groups);
      case 'wait':
        if (!announced) options.onWait?.(groups);
        announced = true;
        await sleep(options.pollMs ?? 1000);
    }
  }
}
