import type { INestApplication } from '@nestjs/common';
import {
  CatalogRepository,
  type PricePointInput,
  SeriesExtentRepository,
  type SeriesKind,
  TimeSeriesRepository,
} from '@market/cassandra';

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
