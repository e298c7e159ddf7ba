import {
  CatalogRepository,
  PartitionChangeRepository,
  QuoteRepository,
  RollupRepository,
  SeriesExtentRepository,
  SeriesWriter,
  TimeSeriesRepository,
} from '@market/cassandra';
import { RollupMaintainer } from '@market/cassandra/series/rollup-maintainer';
import { parseTimeZone } from '@market/domain';
import { generateSyntheticBars } from '../../apps/ingestor/src/providers/synthetic/synthetic.provider';
import type { RunningApi } from './api-app';
import { adminClient } from './test-keyspace';

export const CONSOLE_ZONE = parseTimeZone('America/New_York');
export const CONSOLE_SERIES = {
  id: 'CONS',
  from: '2025-06-30',
  to: '2025-07-11',
  /** A whole session deleted (shaded as missing) and half an hour of the next (partial). */
  missingSession: '2025-07-08',
  partialSession: '2025-07-09',
  partialFrom: Date.parse('2025-07-09T14:00:00Z'),
  partialMinutes: 30,
} as const;

/** The local date of an instant in the series' zone. */
export const consoleLocalDate = (ms: number): string =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: CONSOLE_ZONE.name,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(ms));

/**
 * Two weeks of synthetic one-minute bars of CONS on the XNYS calendar (Independence Day's
 * early close and holiday included), written as the ingestor writes them; then one whole
 * session and half an hour of the next deleted, and their rollups recomputed. Returns the
 * start of every bar left.
 */
export async function seedConsoleSeries(api: RunningApi): Promise<number[]> {
  const { id, from, to, missingSession, partialFrom, partialMinutes } = CONSOLE_SERIES;
  const bars = consoleSeriesBars();
  const meta = { interval: '1m', timezone: CONSOLE_ZONE.name, calendar: 'XNYS', source: 'synthetic', exchange: 'TEST' };
  await api.app.get(CatalogRepository).upsert('asset', { id, symbol: id, name: 'Console Test Corp.', meta });
  await api.app
    .get(CatalogRepository)
    .upsert('commodity', { id: 'cons-oil', symbol: 'OIL', name: 'Console crude', meta });
  const writer = new SeriesWriter(
    api.app.get(TimeSeriesRepository),
    api.app.get(QuoteRepository),
    api.app.get(SeriesExtentRepository),
    api.app.get(RollupRepository),
    { batchRows: 200, concurrency: 8 },
    api.app.get(PartitionChangeRepository),
  );
  await writer.write('asset', id, 'synthetic', bars, CONSOLE_ZONE);
  const partialTo = partialFrom + partialMinutes * 60_000;
  const client = await adminClient(api.keyspace.config);
  try {
    const table = `${api.keyspace.config.keyspace}.asset_timeseries`;
    const statement = `DELETE FROM ${table} WHERE asset_id = ? AND bucket = ? AND ts >= ? AND ts < ?`;
    const session = [new Date(`${missingSession}T00:00:00Z`), new Date(`${missingSession}T23:59:59Z`)];
    await client.execute(statement, [id, '2025-07', ...session], { prepare: true });
    await client.execute(statement, [id, '2025-07', new Date(partialFrom), new Date(partialTo)], { prepare: true });
  } finally {
    await client.shutdown();
  }
  await new RollupMaintainer(api.app.get(TimeSeriesRepository), api.app.get(RollupRepository), 4).rebuild(
    'asset',
    id,
    CONSOLE_ZONE,
    new Date(`${from}T00:00:00Z`),
    new Date(`${to}T23:59:59Z`),
  );
  return consoleStoredStarts();
}

/** The seeded bars before any deletion. */
function consoleSeriesBars() {
  const { id, from, to } = CONSOLE_SERIES;
  return [
    ...generateSyntheticBars(
      { seed: 'market-warehouse', symbol: id },
      { from: new Date(`${from}T00:00:00Z`), to: new Date(`${to}T23:59:59Z`), interval: '1m' },
    ),
  ].map((bar) => ({ ...bar, price: bar.close ?? '1', volume: Number(bar.volume) }));
}

/** The start of every bar seedConsoleSeries leaves stored. */
export function consoleStoredStarts(): number[] {
  const { missingSession, partialFrom, partialMinutes } = CONSOLE_SERIES;
  const partialTo = partialFrom + partialMinutes * 60_000;
  return consoleSeriesBars()
    .map((bar) => bar.ts.getTime())
    .filter((ts) => consoleLocalDate(ts) !== missingSession && !(ts >= partialFrom && ts < partialTo));
}
