import { bucketOf } from '../buckets';
import { NO_FOLLOW_UPS, type WriteFollowUps, mergeFollowUps, partitionChunks } from './series-writer';

const at = (iso: string) => ({ ts: new Date(iso) });

describe('partitionChunks', () => {
  it('never mixes months in a batch, even when bars go back to an earlier month', () => {
    const bars = [
      at('2025-08-31T23:59:59.999Z'),
      at('2025-09-01T00:00:00.000Z'),
      at('2025-08-15T12:00:00.000Z'),
      at('2024-08-15T12:00:00.000Z'),
      at('2025-09-30T23:59:59.999Z'),
    ];
    const chunks = partitionChunks(bars, 10);
    expect(chunks.map((chunk) => [chunk.bucket, chunk.bars.map((bar) => bar.ts.toISOString())])).toEqual([
      ['2025-08', ['2025-08-31T23:59:59.999Z', '2025-08-15T12:00:00.000Z']],
      ['2025-09', ['2025-09-01T00:00:00.000Z', '2025-09-30T23:59:59.999Z']],
      ['2024-08', ['2024-08-15T12:00:00.000Z']],
    ]);
  });

  it('cuts a month into batches of at most batchRows, keeping every bar once and in order', () => {
    const bars = Array.from({ length: 250 }, (_, minute) => ({
      ts: new Date(Date.parse('2025-08-31T22:00:00Z') + minute * 60_000),
    }));
    const chunks = partitionChunks(bars, 100);
    expect(chunks.map((chunk) => [chunk.bucket, chunk.bars.length])).toEqual([
      ['2025-08', 100],
      ['2025-08', 20],
      ['2025-09', 100],
      ['2025-09', 30],
    ]);
    for (const chunk of chunks) expect(chunk.bars.every((bar) => bucketOf(bar.ts) === chunk.bucket)).toBe(true);
    expect(chunks.flatMap((chunk) => chunk.bars)).toEqual(bars);
  });
});

describe('mergeFollowUps', () => {
  const day = (name: string) => ({ day: name, startMs: Date.parse(name), endMs: Date.parse(name) + 86_400_000 });
  const offer = (iso: string, price: string, sourceId = 'synthetic') => ({ ts: new Date(iso), price, sourceId });
  const chunk = (days: string[], buckets: string[], newest: ReturnType<typeof offer> | null): WriteFollowUps => ({
    days: days.map(day),
    buckets,
    newest,
  });

  it('keeps each day and each partition once, and the newest quote offer of the chunks', () => {
    const merged = [
      chunk(['2025-08-29'], ['2025-08'], offer('2025-08-29T19:59:00Z', '10.00')),
      chunk(['2025-08-29', '2025-08-30'], ['2025-08'], offer('2025-08-30T19:59:00Z', '11.00')),
      chunk(['2025-09-01'], ['2025-08', '2025-09'], offer('2025-09-01T19:59:00Z', '12.00')),
    ].reduce(mergeFollowUps, NO_FOLLOW_UPS);
    expect(merged.days.map((entry) => entry.day)).toEqual(['2025-08-29', '2025-08-30', '2025-09-01']);
    expect(merged.buckets).toEqual(['2025-08', '2025-09']);
    expect(merged.newest).toEqual(offer('2025-09-01T19:59:00Z', '12.00'));
  });

  it('keeps the newer offer when an older chunk comes later (a run going back), and the later one of equal rank', () => {
    const newer = chunk([], [], offer('2025-09-01T19:59:00Z', '12.00'));
    const older = chunk([], [], offer('2025-08-01T13:30:00Z', '9.00'));
    expect(mergeFollowUps(newer, older).newest?.price).toBe('12.00');
    expect(mergeFollowUps(older, newer).newest?.price).toBe('12.00');
    // The same bar written again (a corrected value): the later write is the one the quote keeps, as offerLatest does.
    const again = chunk([], [], offer('2025-09-01T19:59:00Z', '12.50'));
    expect(mergeFollowUps(newer, again).newest?.price).toBe('12.50');
    expect(mergeFollowUps(newer, NO_FOLLOW_UPS).newest?.price).toBe('12.00');
  });
});
