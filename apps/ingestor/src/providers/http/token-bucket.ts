import { setTimeout as delay } from 'node:timers/promises';

export interface TokenBucketOptions {
  /** Tokens added per second: the sustained request rate. */
  readonly requestsPerSecond: number;
  /** Bucket size: how many requests may go at once after a quiet spell. */
  readonly burst: number;
  /** Milliseconds clock; injectable for tests. */
  readonly now?: () => number;
  /** Waits; injectable for tests. Must reject when the signal aborts. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Something that paces requests; `take()` resolves when one may be sent. */
export interface RequestPacer {
  take(signal?: AbortSignal): Promise<void>;
}

/**
 * A token bucket per provider. Each `take()` reserves a token at once, possibly driving the
 * balance below zero, and waits until the refill has paid for it: concurrent callers queue
 * in call order without a queue, and no caller can starve another.
 */
export class TokenBucket implements RequestPacer {
  private readonly ratePerMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private tokens: number;
  private refilledAt: number;

  constructor(private readonly options: TokenBucketOptions) {
    if (!(options.requestsPerSecond > 0) || !Number.isFinite(options.requestsPerSecond)) {
      throw new RangeError(`requestsPerSecond must be a positive number, got ${options.requestsPerSecond}`);
    }
    if (!Number.isInteger(options.burst) || options.burst < 1) {
      throw new RangeError(`burst must be a positive integer, got ${options.burst}`);
    }
    this.ratePerMs = options.requestsPerSecond / 1000;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms, signal) => delay(ms, undefined, { signal }));
    this.tokens = options.burst;
    this.refilledAt = this.now();
  }

  /** Resolves when a request may go; rejects with the signal's reason if aborted first. */
  async take(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    this.refill();
    this.tokens -= 1;
    if (this.tokens >= 0) return;
    const waitMs = Math.ceil(-this.tokens / this.ratePerMs);
    try {
      await this.sleep(waitMs, signal);
    } catch (error) {
      // The request will not be sent: give its reservation back.
      this.tokens += 1;
      throw error;
    }
  }

  private refill(): void {
    const now = this.now();
    const elapsed = Math.max(0, now - this.refilledAt);
    this.tokens = Math.min(this.options.burst, this.tokens + elapsed * this.ratePerMs);
    this.refilledAt = now;
  }
}
