import type { LocalDayWindow } from '@market/cassandra';
import { RollupBatches } from './rollup-batches';

const day = (name: string): LocalDayWindow => ({
  day: name,
  startMs: Date.parse(name),
  endMs: Date.parse(name) + 86_400_000,
});

/** A refresh whose batches the test settles by hand, recording what happened in order. */
function recorder() {
  const events: string[] = [];
  const waiting: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  const refresh = (days: readonly LocalDayWindow[]) =>
    new Promise<void>((resolve, reject) => {
      events.push(`refresh ${days.map((entry) => entry.day).join(',')}`);
      waiting.push({ resolve, reject });
    });
  const finishNext = async () => {
    waiting.shift()?.resolve();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { events, waiting, refresh, finishNext };
}

describe('RollupBatches', () => {
  it('says a batch is due after the given number of chunks, and recomputes each day of it once', async () => {
    const { events, refresh, finishNext } = recorder();
    const batches = new RollupBatches(refresh, 3);
    expect(batches.add([day('2025-08-01')])).toBe(false);
    expect(batches.add([day('2025-08-01'), day('2025-08-02')])).toBe(false);
    expect(batches.add([day('2025-08-02')])).toBe(true);
    await batches.flush(() => {
      events.push('checkpoint');
      return Promise.resolve();
    });
    expect(events).toEqual(['refresh 2025-08-01,2025-08-02']);
    await finishNext();
    await batches.settle();
    expect(events).toEqual(['refresh 2025-08-01,2025-08-02', 'checkpoint']);
    expect(batches.hasPending).toBe(false);
  });

  it('keeps one batch in flight: the next starts, and its checkpoint runs, only after the one before', async () => {
    const { events, refresh, finishNext } = recorder();
    const batches = new RollupBatches(refresh, 1);
    batches.add([day('2025-08-01')]);
    await batches.flush(() => {
      events.push('checkpoint 1');
      return Promise.resolve();
    });
    batches.add([day('2025-08-02')]);
    const second = batches.flush(() => {
      events.push('checkpoint 2');
      return Promise.resolve();
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(events).toEqual(['refresh 2025-08-01']);
    await finishNext();
    await second;
    expect(events).toEqual(['refresh 2025-08-01', 'checkpoint 1', 'refresh 2025-08-02']);
    await finishNext();
    await batches.settle();
    expect(events.at(-1)).toBe('checkpoint 2');
  });

  it("never runs a failed batch's checkpoint, and reports the failure at the next flush", async () => {
    const { events, waiting, refresh } = recorder();
    const batches = new RollupBatches(refresh, 1);
    batches.add([day('2025-08-01')]);
    await batches.flush(() => {
      events.push('checkpoint');
      return Promise.resolve();
    });
    waiting.shift()?.reject(new Error('storage unavailable'));
    batches.add([day('2025-08-02')]);
    await expect(batches.flush(() => Promise.resolve())).rejects.toThrow('storage unavailable');
    expect(events).not.toContain('checkpoint');
  });

  it('on abandon recomputes the days still remembered, without a checkpoint, and swallows errors', async () => {
    const events: string[] = [];
    const batches = new RollupBatches((days) => {
      events.push(`refresh ${days.map((entry) => entry.day).join(',')}`);
      return Promise.reject(new Error('still down'));
    }, 16);
    batches.add([day('2025-08-03')]);
    await expect(batches.abandon()).resolves.toBeUndefined();
    expect(events).toEqual(['refresh 2025-08-03']);
  });
});
