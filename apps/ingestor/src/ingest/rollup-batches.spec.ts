import type { LocalDayWindow, WriteFollowUps } from '@market/cassandra';
import { RollupBatches } from './rollup-batches';

const day = (name: string): LocalDayWindow => ({
  day: name,
  startMs: Date.parse(name),
  endMs: Date.parse(name) + 86_400_000,
});

/** The follow-ups of a chunk whose bars fall in these days (no partitions, no quote: the batching is what is tested). */
const chunk = (...days: LocalDayWindow[]): WriteFollowUps => ({ days, buckets: [], newest: null });

/** A refresh whose batches the test settles by hand, recording what happened in order. */
function recorder() {
  const events: string[] = [];
  const waiting: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  const refresh = (followUps: WriteFollowUps) =>
    new Promise<void>((resolve, reject) => {
      events.push(`refresh ${followUps.days.map((entry) => entry.day).join(',')}`);
      waiting.push({ resolve, reject });
    });
  const finishNext = async () => {
    waiting.shift()?.resolve();
    await new Promise((resolve) => setImmediate(resolve));
  };
  /** A batch's `after` step that records itself. */
  const checkpoint = (label: string) => () => {
    events.push(label);
    return Promise.resolve();
  };
  return { events, waiting, refresh, finishNext, checkpoint };
}

/** A batch of 2025-08-01 that failed, and 2025-08-02 remembered after it. */
async function failedFirstBatch() {
  const { events, waiting, refresh, checkpoint } = recorder();
  const batches = new RollupBatches(refresh, { days: 99, chunks: 1 });
  batches.add(chunk(day('2025-08-01')));
  await batches.flush(checkpoint('checkpoint 1'));
  waiting.shift()?.reject(new Error('storage unavailable'));
  batches.add(chunk(day('2025-08-02')));
  return { events, waiting, batches, checkpoint };
}

describe('RollupBatches', () => {
  it('says a batch is due after the given number of chunks, and recomputes each day of it once', async () => {
    const { events, refresh, finishNext, checkpoint } = recorder();
    const batches = new RollupBatches(refresh, { days: 99, chunks: 3 });
    expect(batches.add(chunk(day('2025-08-01')))).toBe(false);
    expect(batches.add(chunk(day('2025-08-01'), day('2025-08-02')))).toBe(false);
    expect(batches.add(chunk(day('2025-08-02')))).toBe(true);
    await batches.flush(checkpoint('checkpoint'));
    expect(events).toEqual(['refresh 2025-08-01,2025-08-02']);
    await finishNext();
    await batches.settle();
    expect(events).toEqual(['refresh 2025-08-01,2025-08-02', 'checkpoint']);
    expect(batches.hasPending).toBe(false);
  });

  it('keeps one batch in flight: the next starts, and its checkpoint runs, only after the one before', async () => {
    const { events, refresh, finishNext, checkpoint } = recorder();
    const batches = new RollupBatches(refresh, { days: 99, chunks: 1 });
    batches.add(chunk(day('2025-08-01')));
    await batches.flush(checkpoint('checkpoint 1'));
    batches.add(chunk(day('2025-08-02')));
    const second = batches.flush(checkpoint('checkpoint 2'));
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
    const { events, waiting, batches, checkpoint } = await failedFirstBatch();
    await expect(batches.flush(() => Promise.resolve())).rejects.toThrow('storage unavailable');
    // The run then abandons: the days it still holds are recomputed, the checkpoint stays.
    const abandoned = batches.abandon(checkpoint('checkpoint after failure'));
    await new Promise((resolve) => setImmediate(resolve));
    waiting.shift()?.resolve();
    await abandoned;
    expect(events).toEqual(['refresh 2025-08-01', 'refresh 2025-08-02']);
  });

  it('says a batch is due once it holds enough days, however few chunks', () => {
    const batches = new RollupBatches(() => Promise.resolve(), { days: 3, chunks: 99 });
    expect(batches.add(chunk(day('2025-08-01'), day('2025-08-02')))).toBe(false);
    expect(batches.add(chunk(day('2025-08-02')))).toBe(false);
    expect(batches.add(chunk(day('2025-08-03')))).toBe(true);
  });

  it('on abandon recomputes the days still remembered, then checkpoints the chunks written', async () => {
    const { events, refresh, finishNext, checkpoint } = recorder();
    const batches = new RollupBatches(refresh, { days: 99, chunks: 99 });
    batches.add(chunk(day('2025-08-03')));
    const abandoned = batches.abandon(checkpoint('checkpoint'));
    await new Promise((resolve) => setImmediate(resolve));
    await finishNext();
    await abandoned;
    expect(events).toEqual(['refresh 2025-08-03', 'checkpoint']);
  });

  it('on abandon after a failed batch recomputes what is left but leaves the checkpoint, and swallows errors', async () => {
    const { events, waiting, batches, checkpoint } = await failedFirstBatch();
    const abandoned = batches.abandon(checkpoint('checkpoint 2'));
    await new Promise((resolve) => setImmediate(resolve));
    waiting.shift()?.reject(new Error('still down'));
    await expect(abandoned).resolves.toBeUndefined();
    expect(events).toEqual(['refresh 2025-08-01', 'refresh 2025-08-02']);
  });
});
