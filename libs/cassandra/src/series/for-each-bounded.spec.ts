import { setTimeout as sleep } from 'node:timers/promises';
import { forEachBounded } from './for-each-bounded';

describe('forEachBounded', () => {
  it('never has more than `limit` calls in flight and runs every item once', async () => {
    let inFlight = 0;
    let peak = 0;
    const done: number[] = [];
    await forEachBounded(
      Array.from({ length: 40 }, (_, index) => index),
      4,
      async (item) => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await sleep(item % 3);
        done.push(item);
        inFlight -= 1;
      },
    );
    expect(peak).toBe(4);
    expect(done.sort((left, right) => left - right)).toEqual(Array.from({ length: 40 }, (_, index) => index));
  });

  it('rejects with the first failure and starts nothing new after it', async () => {
    const started: number[] = [];
    await expect(
      forEachBounded([1, 2, 3, 4, 5, 6], 2, async (item) => {
        started.push(item);
        await sleep(1);
        if (item === 2) throw new Error('write failed');
      }),
    ).rejects.toThrow('write failed');
    expect(started.length).toBeLessThan(6);
  });
});
