import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import {
  type Bucket,
  type PricePointInput,
  QuoteRepository,
  type SeriesKind,
  TimeSeriesRepository,
  bucketOf,
} from '@market/cassandra';
import { ingestorConfig } from '../config/ingestor.config';
import type { ValidBar } from '../normalisation/bar-validator';
import { forEachBounded } from './bounded';

interface PartitionChunk {
  readonly bucket: Bucket;
  readonly points: PricePointInput[];
}

/** Groups points by month bucket and cuts each group into batches of at most `batchRows`. */
export function partitionChunks(points: readonly PricePointInput[], batchRows: number): PartitionChunk[] {
  const byBucket = new Map<Bucket, PricePointInput[]>();
  for (const point of points) {
    const bucket = bucketOf(point.ts);
    const group = byBucket.get(bucket);
    if (group === undefined) byBucket.set(bucket, [point]);
    else group.push(point);
  }
  return [...byBucket].flatMap(([bucket, group]) =>
    Array.from({ length: Math.ceil(group.length / batchRows) }, (_, index) => ({
      bucket,
      points: group.slice(index * batchRows, (index + 1) * batchRows),
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
    const points = bars.map((bar): PricePointInput => ({
      ts: bar.ts,
      price: bar.close,
      open: bar.open,
      high: bar.high,
      low: bar.low,
      volume: bar.volume,
      sourceId,
    }));
    await forEachBounded(
      partitionChunks(points, this.config.writes.batchRows),
      this.config.writes.concurrency,
      (chunk) => this.timeSeries.insertPartition(kind, seriesId, chunk.bucket, chunk.points),
    );
    const newest = points.reduce((latest, point) => (point.ts > latest.ts ? point : latest));
    await this.quotes.offerLatest(seriesId, newest);
  }
}
