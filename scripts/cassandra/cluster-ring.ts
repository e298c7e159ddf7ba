import { setTimeout as sleep } from 'node:timers/promises';
import { nodetool, nodetoolAsync, runningPid } from './node-process';
import type { NodeSpec } from './node-spec';

/** Address → two-letter state (UN, DN, UJ…) from `nodetool status` output. */
function parseRingStates(output: string): Map<string, string> {
  const states = new Map<string, string>();
  for (const line of output.split('\n')) {
    const match = /^([UD][NLJM])\s+(\d+\.\d+\.\d+\.\d+)/.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) states.set(match[2], match[1]);
  }
  return states;
}

/** `nodetool status` as seen from a running node: address → two-letter state (UN, DN, UJ…). */
export function ringStates(specs: readonly NodeSpec[]): Map<string, string> {
  const running = specs.find((spec) => runningPid(spec) !== null);
  return running === undefined ? new Map<string, string>() : parseRingStates(nodetool(running, ['status']));
}

/** As ringStates, without blocking this process's event loop while nodetool's JVM runs. */
export async function ringStatesAsync(specs: readonly NodeSpec[]): Promise<Map<string, string>> {
  const running = specs.find((spec) => runningPid(spec) !== null);
  return running === undefined ? new Map<string, string>() : parseRingStates(await nodetoolAsync(running, ['status']));
}

/**
 * Polls `nodetool status` until `done(states)` holds; returns the milliseconds waited.
 * Bounded: throws after `timeoutMs`, naming the states last seen.
 */
export async function waitForRing(
  specs: readonly NodeSpec[],
  what: string,
  done: (states: Map<string, string>) => boolean,
  timeoutMs: number,
): Promise<number> {
  const started = Date.now();
  let states = new Map<string, string>();
  while (Date.now() - started < timeoutMs) {
    // Never the blocking ringStates: the fault tests poll the ring while their API serves load.
    states = await ringStatesAsync(specs);
    if (done(states)) return Date.now() - started;
    await sleep(2000);
  }
  throw new Error(`${what}: not within ${timeoutMs / 1000}s (ring: ${JSON.stringify([...states])})`);
}

/** True when every node is Up and Normal. */
export const allUp = (specs: readonly NodeSpec[]) => (states: Map<string, string>) =>
  specs.every((spec) => states.get(spec.address) === 'UN');
