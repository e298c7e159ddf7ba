import type { INestApplication } from '@nestjs/common';
import {
  CatalogRepository,
  type PricePointInput,
  PartitionChangeRepository,
  QuoteRepository,
  RollupRepository,
  SeriesExtentRepository,
  type SeriesKind,
  SeriesWriter,
  TimeSeriesRepository,
} from '@market/cassandra';
import type { TimeZone } from '@market/domain';

const CONCURRENCY = 64;

/** Writes a catalog entry, its points and their extent through the project's own repositories. */
export async function seedSeries(
  app: INestApplication,
  kind: SeriesKind,
  id: string,
  points: readonly PricePointInput[],
  meta: Record<string, string> = {},
): Promise<void> {
  await app.get(CatalogRepository).upsert(kind, { id, symbol: id.toUpperCase(), name: `${id} (test)`, meta });
  await insertPoints(app, kind, id, points);
}

/**
 * A catalog entry in `zone` and the project's series writer for it (base rows, extent, quote
 * and daily rollups, as the ingestor writes them): call `write` with the bars, in any order.
 */
export async function seriesWriterFor(
  app: INestApplication,
  entry: { readonly kind: SeriesKind; readonly id: string; readonly name: string; readonly interval: string },
  zone: TimeZone,
): Promise<SeriesWriter> {
  const meta = { interval: entry.interval, timezone: zone.name };
  await app.get(CatalogRepository).upsert(entry.kind, { id: entry.id, symbol: entry.id, name: entry.name, meta });
  return new SeriesWriter(
    app.get(TimeSeriesRepository),
    app.get(QuoteRepository),
    app.get(SeriesExtentRepository),
    app.get(RollupRepository),
    { batchRows: 100, concurrency: 4 },
    app.get(PartitionChangeRepository),
  );
}

export async function insertPoints(
  app: INestApplication,
  kind: SeriesKind,
  id: string,
  points: readonly PricePointInput[],
): Promise<void> {
  // As the series writer does: the extent first, so range reads clamped to it see every point.
  if (points.length > 0) {
    const times = points.map((point) => point.ts.getTime());
    const first = new Date(times.reduce((min, ts) => Math.min(min, ts)));
    const last = new Date(times.reduce((max, ts) => Math.max(max, ts)));
    await app.get(SeriesExtentRepository).widen(kind, id, first, last);
  }
  const repository = app.get(TimeSeriesRepository);
  for (let start = 0; start < points.length; start += CONCURRENCY) {
    await Promise.all(points.slice(start, start + CONCURRENCY).map((point) => repository.insert(kind, id, point)));
  }
}

/** One-minute bars of the US session (13:30–20:00 UTC in summer) for the given days. */
export function sessionMinutes(days: readonly string[], price: (index: number) => string): PricePointInput[] {
  const points: PricePointInput[] = [];
  for (const day of days) {
    const open = new Date(`${day}T13:30:00.000Z`).getTime();
    for (let minute = 0; minute < 390; minute += 1) {
      const index = points.length;
      points.push({
        ts: new Date(open + minute * 60_000),
        price: price(index),
        volume: 1000 + index,
        sourceId: 'test',
      });
    }
  }
  return points;
}
