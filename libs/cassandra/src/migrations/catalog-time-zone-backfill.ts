import type { types } from 'cassandra-driver';
import { catalogTimeZone } from '@market/domain';
import type { SeriesKind } from '../price-point';
import type { DataStep } from './data-step';

const TABLES: ReadonlyArray<{ kind: SeriesKind; table: string; idColumn: string }> = [
  { kind: 'asset', table: 'assets', idColumn: 'asset_id' },
  { kind: 'commodity', table: 'commodities', idColumn: 'commodity_id' },
];

/** How many entries of each kind got a zone, and which zone. */
export interface CatalogTimeZoneFill {
  readonly filled: number;
  readonly byZone: Readonly<Record<string, number>>;
}

function metaOf(row: types.Row): Readonly<Record<string, string>> {
  const meta: unknown = row.get('meta');
  return meta !== null && typeof meta === 'object' ? (meta as Record<string, string>) : {};
}

/**
 * Fills `meta.timezone` of every catalog entry that lacks it, or whose value names no IANA
 * zone, with the zone readers already used for it (catalogTimeZone: by `meta.source`, UTC
 * where unknown), so the stored entry and every reader agree. One paged scan of each catalog
 * table (a few thousand rows at most) and one single-element map update per entry, which
 * leaves the entry's other keys alone: it may run while the ingestor upserts entries, and
 * again (an entry with a zone is not touched). `progress` runs after each update.
 */
export async function fillCatalogTimeZones(step: DataStep): Promise<CatalogTimeZoneFill> {
  const { client, keyspace, consistency, progress: afterEntry } = step;
  const byZone: Record<string, number> = {};
  let filled = 0;
  for (const { table, idColumn } of TABLES) {
    let pageState: string | undefined;
    do {
      const result = await client.execute(`SELECT ${idColumn}, meta FROM ${keyspace}.${table}`, [], {
        prepare: true,
        fetchSize: 500,
        consistency: consistency.read,
        isIdempotent: true,
        ...(pageState === undefined ? {} : { pageState }),
      });
      for (const row of result.rows) {
        const meta = metaOf(row);
        const zone = catalogTimeZone(meta);
        if (meta.timezone === zone) continue;
        await client.execute(
          `UPDATE ${keyspace}.${table} SET meta[?] = ? WHERE ${idColumn} = ?`,
          ['timezone', zone, String(row.get(idColumn))],
          { prepare: true, consistency: consistency.write, isIdempotent: true },
        );
        byZone[zone] = (byZone[zone] ?? 0) + 1;
        filled += 1;
        await afterEntry(filled);
      }
      pageState = result.pageState ?? undefined;
    } while (pageState !== undefined);
  }
  return { filled, byZone };
}
