import { TokenBucket } from './token-bucket';

/** A clock that only moves when the bucket sleeps (or the test advances it). */
function fakeTime() {
  const time = { now: 1_000_000, sleeps: [] as number[] };
  const sleep = (ms: number, signal?: AbortSignal): Promise<void> => {
    if (signal?.aborted === true) return Promise.reject(signal.reason as Error);
    time.sleeps.push(ms);
    time.now += ms;
    return Promise.resolve();
  };
  return { time, now: () => time.now, sleep };
}

describe('TokenBucket', () => {
  it('lets a full burst through without waiting', async () => {
    const { time, now, sleep } = fakeTime();
    const bucket = new TokenBucket({ requestsPerSecond: 2, burst: 5, now, sleep });
    for (let i = 0; i < 5; i += 1) await bucket.take();
    expect(time.sleeps).toEqual([]);
  });

  it('paces requests beyond the burst at the sustained rate', async () => {
    const { time, now, sleep } = fakeTime();
    const bucket = new TokenBucket({ requestsPerSecond: 4, burst: 1, now, sleep });
    await bucket.take();
    await bucket.take();
    await bucket.take();
    expect(time.sleeps).toEqual([250, 250]);
  });

  it('queues concurrent callers one interval apart, in call order', async () => {
    const { now } = fakeTime();
    const waits: number[] = [];
    const sleep = (ms: number) => {
      waits.push(ms);
      return Promise.resolve();
    };
    // The clock stands still: all four arrive at the same instant.
    const bucket = new TokenBucket({ requestsPerSecond: 10, burst: 1, now, sleep });
    await Promise.all([bucket.take(), bucket.take(), bucket.take(), bucket.take()]);
    expect(waits).toEqual([100, 200, 300]);
  });

  it('refills after a quiet spell, but never beyond the burst', async () => {
    const { time, now, sleep } = fakeTime();
    const bucket = new TokenBucket({ requestsPerSecond: 1, burst: 2, now, sleep });
    await bucket.take();
    await bucket.take();
    time.now += 60_000;
    await bucket.take();
    await bucket.take();
    expect(time.sleeps).toEqual([]);
    await bucket.take();
    expect(time.sleeps).toEqual([1000]);
  });

  it('gives the reservation back when the waiting caller aborts', async () => {
    const { time, now } = fakeTime();
    const waits: number[] = [];
    // Waits until aborted, like a long real sleep would.
    const sleep = (ms: number, signal?: AbortSignal) =>
      new Promise<void>((_resolve, reject) => {
        waits.push(ms);
        signal?.addEventListener('abort', () => reject(new Error('aborted')));
      });
    const bucket = new TokenBucket({ requestsPerSecond: 1, burst: 1, now, sleep });
    await bucket.take();
    const controller = new AbortController();
    const waiting = bucket.take(controller.signal);
    controller.abort();
    await expect(waiting).rejects.toThrow('aborted');
    time.now += 1000;
    // Only the aborted caller slept: the refund left a whole token for this one.
    await bucket.take();
    expect(waits).toEqual([1000]);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const { now, sleep } = fakeTime();
    const bucket = new TokenBucket({ requestsPerSecond: 1, burst: 1, now, sleep });
    await expect(bucket.take(AbortSignal.abort(new Error('gone')))).rejects.toThrow('gone');
  });

  it('waits in real time with the default sleep', async () => {
    const bucket = new TokenBucket({ requestsPerSecond: 50, burst: 1 });
    const started = performance.now();
    await bucket.take();
    await bucket.take();
    expect(performance.now() - started).toBeGreaterThanOrEqual(15);
  });

  it('rejects a non-positive rate or burst', () => {
    expect(() => new TokenBucket({ requestsPerSecond: 0, burst: 1 })).toThrow(/requestsPerSecond/);
    expect(() => new TokenBucket({ requestsPerSecond: 1, burst: 0 })).toThrow(/burst/);
  });
});
