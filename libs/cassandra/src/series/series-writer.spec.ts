import { bucketOf } from '../buckets';
import { partitionChunks } from './series-writer';

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
