import type { INestApplication } from '@nestjs/common';
import {
  CatalogRepository,
  type PricePointInput,
  SeriesExtentRepository,
  type SeriesKind,
  TimeSeriesRepository,
  bucketOf,
} from '@market/cassandra';

const BATCH_ROWS = 100;
const CONCURRENCY = 16;

/** Many bars fast: one unlogged batch per partition and source, 100 rows each, 16 at a time. */
export async function seedSeriesInBatches(
  app: INestApplication,
  kind: SeriesKind,
  id: string,
  points: readonly PricePointInput[],
  meta: Record<string, string> = {},
): Promise<void> {
  await app.get(CatalogRepository).upsert(kind, { id, symbol: id.toUpperCase(), name: `${id} (test)`, meta });
  if (points.length === 0) return;
  const times = points.map((point) => point.ts.getTime());
  const first = times.reduce((min, ts) => Math.min(min, ts));
  const last = times.reduce((max, ts) => Math.max(max, ts));
  await app.get(SeriesExtentRepository).widen(kind, id, new Date(first), new Date(last));
  const groups = new Map<string, PricePointInput[]>();
  for (const point of points) {
    const key = `${bucketOf(point.ts)}\u0000${point.sourceId}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [point]);
    else group.push(point);
  }
  const batches = [...groups.entries()].flatMap(([key, group]) => {
    const [bucket = '', sourceId = ''] = key.split('\u0000');
    const chunks = [];
    for (let start = 0; start < group.length; start += BATCH_ROWS) {
      chunks.push({ bucket, sourceId, bars: group.slice(start, start + BATCH_ROWS) });
    }
    return chunks;
  });
  const repository = app.get(TimeSeriesRepository);
  for (let start = 0; start < batches.length; start += CONCURRENCY) {
    await Promise.all(
      batches
        .slice(start, start + CONCURRENCY)
        .map((batch) => repository.insertPartition(kind, id, batch.bucket, batch.sourceId, batch.bars)),
    );
  }
}
