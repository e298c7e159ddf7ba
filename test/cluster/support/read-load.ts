import { setTimeout as sleep } from 'node:timers/promises';
import type { Sample } from './figures';

export interface ReadLoadOptions {
  /** Requests started per second (an open loop: a slow answer does not slow the arrivals). */
  readonly ratePerSecond: number;
  /** At most this many in flight; an arrival beyond it is counted as a failure ("saturated"). */
  readonly maxInFlight: number;
  /** Hard bound on the whole run, whatever happens. */
  readonly maxRequests: number;
  /** A request without an answer by then is a failure ("hang"), never a wait without end. */
  readonly clientTimeoutMs: number;
  /**
   * When the load's own process falls further behind its schedule than this (its event loop
   * starved of CPU), the arrivals it missed are skipped and counted as a client stall, not
   * fired at once on waking: a burst of catch-up requests measures the client's stall, not
   * the cluster, and used to overflow maxInFlight as "saturated" failures. Default 1,000 ms.
   */
  readonly maxLagMs?: number;
}

/** Arrivals the load skipped because its own process was late (see maxLagMs). */
export interface ClientStall {
  /** Date.now() when the load noticed it was late. */
  readonly at: number;
  readonly lateMs: number;
  readonly skipped: number;
}

/**
 * HTTP read load against the API: `paths` in turn at a steady rate until stopped, every
 * request timed and its status kept. A request fails unless it answers 200.
 */
export class ReadLoad {
  readonly samples: Sample[] = [];
  readonly stalls: ClientStall[] = [];
  private stopped = false;
  private inFlight = 0;
  private loop: Promise<void> | null = null;
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly baseUrl: string,
    private readonly paths: readonly string[],
    private readonly options: ReadLoadOptions,
  ) {}

  start(): void {
    this.loop = this.run();
  }

  /** Stops starting requests and waits (bounded by the client timeout) for those in flight. */
  async stop(): Promise<Sample[]> {
    this.stopped = true;
    await this.loop;
    await Promise.allSettled(this.pending);
    return this.samples;
  }

  private async run(): Promise<void> {
    const interval = 1000 / this.options.ratePerSecond;
    const maxLagMs = this.options.maxLagMs ?? 1000;
    const started = Date.now();
    for (let index = 0; !this.stopped && index < this.options.maxRequests; index += 1) {
      const lateMs = Date.now() - (started + index * interval);
      if (lateMs > maxLagMs) {
        const skipped = Math.floor(lateMs / interval);
        this.stalls.push({ at: Date.now(), lateMs: Math.round(lateMs), skipped });
        index += skipped;
        if (index >= this.options.maxRequests) break;
      }
      const path = this.paths[index % this.paths.length] ?? '/';
      if (this.inFlight >= this.options.maxInFlight) {
        this.samples.push({ startedAt: Date.now(), ms: 0, ok: false, outcome: 'saturated' });
      } else {
        const request = this.request(path);
        this.pending.add(request);
        void request.finally(() => this.pending.delete(request));
      }
      // Paced against the start, so timer drift does not lower the rate.
      await sleep(Math.max(0, started + (index + 1) * interval - Date.now()));
    }
  }

  private async request(path: string): Promise<void> {
    this.inFlight += 1;
    const startedAt = Date.now();
    const began = performance.now();
    try {
      const response = await fetch(`${this.baseUrl}${path}`, {
        signal: AbortSignal.timeout(this.options.clientTimeoutMs),
      });
      const body = await response.text();
      const ms = performance.now() - began;
      const ok = response.status === 200;
      this.samples.push({
        startedAt,
        ms,
        ok,
        outcome: String(response.status),
        ...(ok ? {} : { detail: `${path} -> ${response.status} ${body.slice(0, 600)}` }),
      });
    } catch (error) {
      const ms = performance.now() - began;
      const name = typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : 'error';
      this.samples.push({
        startedAt,
        ms,
        ok: false,
        outcome: name === 'TimeoutError' ? 'hang' : name,
        detail: `${path} -> ${describeClientError(error)}`,
      });
    } finally {
      this.inFlight -= 1;
    }
  }
}

/**
 * fetch's error and the causes under it ("fetch failed" alone hides a reset or a refused
 * connection). Duck-typed: fetch's errors come from Node's own realm, not the test's, so
 * `instanceof Error` is false for them inside Jest.
 */
function describeClientError(error: unknown): string {
  const parts: string[] = [];
  for (let current: unknown = error; current !== undefined && current !== null && parts.length < 4;) {
    if (typeof current !== 'object' || !('message' in current)) {
      parts.push(typeof current === 'string' ? current : JSON.stringify(current));
      break;
    }
    const { name, message, code, cause } = current as {
      name?: unknown;
      message?: unknown;
      code?: unknown;
      cause?: unknown;
    };
    parts.push(`${String(name)}${typeof code === 'string' ? ` ${code}` : ''}: ${String(message)}`);
    current = cause;
  }
  return parts.join(' <- ');
}
