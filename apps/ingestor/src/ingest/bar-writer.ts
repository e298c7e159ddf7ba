import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import {
  type Bucket,
  QuoteRepository,
  type SeriesKind,
  TimeSeriesRepository,
  bucketMillis,
  bucketOf,
} from '@market/cassandra';
import { ingestorConfig } from '../config/ingestor.config';
import type { ValidBar } from '../normalisation/bar-validator';
import { forEachBounded } from './bounded';

interface PartitionChunk<T> {
  readonly bucket: Bucket;
  readonly bars: T[];
}

/** Groups bars by month bucket and cuts each group into batches of at most `batchRows`. */
export function partitionChunks<T extends { readonly ts: Date }>(
  bars: readonly T[],
  batchRows: number,
): PartitionChunk<T>[] {
  const byBucket = new Map<Bucket, T[]>();
  // Bars arrive in runs of one month: the bucket's name is worked out once per run.
  let run: { first: number; last: number; group: T[] } | null = null;
  for (const bar of bars) {
    const ms = bar.ts.getTime();
    if (run === null || !(ms >= run.first && ms <= run.last)) {
      const bucket = bucketOf(bar.ts);
      const group = byBucket.get(bucket) ?? [];
      byBucket.set(bucket, group);
      run = { ...bucketMillis(bucket), group };
    }
    run.group.push(bar);
  }
  return [...byBucket].flatMap(([bucket, group]) =>
    Array.from({ length: Math.ceil(group.length / batchRows) }, (_, index) => ({
      bucket,
      bars: group.slice(index * batchRows, (index + 1) * batchRows),
    })),
  );
}

/**
 * Writes validated bars: single-partition UNLOGGED batches with bounded concurrency
 * (never a batch across partitions, never a logged one), then offers the newest bar as the
 * series' latest quote. Every statement is idempotent, so a retried or repeated write
 * changes nothing.
 */
@Injectable()
export class BarWriter {
  constructor(
    private readonly timeSeries: TimeSeriesRepository,
    private readonly quotes: QuoteRepository,
    @Inject(ingestorConfig.KEY) private readonly config: ConfigType<typeof ingestorConfig>,
  ) {}

  async write(kind: SeriesKind, seriesId: string, sourceId: string, bars: readonly ValidBar[]): Promise<void> {
    if (bars.length === 0) return;
    await forEachBounded(partitionChunks(bars, this.config.writes.batchRows), this.config.writes.concurrency, (chunk) =>
      this.timeSeries.insertPartition(kind, seriesId, chunk.bucket, sourceId, chunk.bars),
    );
    const newest = bars.reduce((latest, bar) => (bar.ts > latest.ts ? bar : latest));
    await this.quotes.offerLatest(seriesId, { ...newest, sourceId });
  }
}
