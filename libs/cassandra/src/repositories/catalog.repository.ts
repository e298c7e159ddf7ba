import { Injectable } from '@nestjs/common';
import type { types } from 'cassandra-driver';
import { type CqlStatement, CassandraSession } from '../cassandra.session';
import type { SeriesKind } from '../price-point';
import { pagingOptions, unsetIfAbsent } from './bind-values';

/** One entry of the asset or commodity catalog. */
export interface CatalogEntry {
  readonly id: string;
  readonly symbol: string | null;
  readonly name: string | null;
  readonly meta: Readonly<Record<string, string>>;
}

export interface CatalogPage {
  readonly entries: CatalogEntry[];
  readonly pageState: string | null;
}

const TABLES: Record<SeriesKind, { table: string; idColumn: string }> = {
  asset: { table: 'assets', idColumn: 'asset_id' },
  commodity: { table: 'commodities', idColumn: 'commodity_id' },
};

function statementsFor(kind: SeriesKind) {
  const { table, idColumn } = TABLES[kind];
  const columns = `${idColumn}, symbol, name, meta`;
  return {
    list: {
      name: `${table}.list`,
      cql: `SELECT ${columns} FROM {{keyspace}}.${table}`,
      kind: 'read',
      idempotent: true,
    },
    get: {
      name: `${table}.get`,
      cql: `SELECT ${columns} FROM {{keyspace}}.${table} WHERE ${idColumn} = ?`,
      kind: 'read',
      idempotent: true,
    },
    upsert: {
      name: `${table}.upsert`,
      cql: `INSERT INTO {{keyspace}}.${table} (${idColumn}, symbol, name, meta) VALUES (?, ?, ?, ?)`,
      kind: 'write',
      idempotent: true,
    },
  } satisfies Record<string, CqlStatement>;
}

const STATEMENTS = { asset: statementsFor('asset'), commodity: statementsFor('commodity') };

function entryFromRow(kind: SeriesKind, row: types.Row): CatalogEntry {
  const symbol: unknown = row.get('symbol');
  const name: unknown = row.get('name');
  const meta: unknown = row.get('meta');
  return {
    id: String(row.get(TABLES[kind].idColumn)),
    symbol: typeof symbol === 'string' ? symbol : null,
    name: typeof name === 'string' ? name : null,
    meta: meta !== null && typeof meta === 'object' ? (meta as Record<string, string>) : {},
  };
}

/** All CQL of the `assets` and `commodities` catalog tables. */
@Injectable()
export class CatalogRepository {
  constructor(private readonly session: CassandraSession) {}

  /** One entry by id, or null. */
  async get(kind: SeriesKind, id: string): Promise<CatalogEntry | null> {
    const result = await this.session.execute(STATEMENTS[kind].get, [id]);
    const row = result.first() as types.Row | null;
    return row === null ? null : entryFromRow(kind, row);
  }

  /**
   * One page of the catalog in storage (token) order, which is stable between calls;
   * `pageState` continues it.
   */
  async list(kind: SeriesKind, page: { fetchSize: number; pageState?: string | null }): Promise<CatalogPage> {
    const result = await this.session.execute(STATEMENTS[kind].list, [], pagingOptions(page.fetchSize, page.pageState));
    return { entries: result.rows.map((row) => entryFromRow(kind, row)), pageState: result.pageState ?? null };
  }

  /** Creates or updates an entry (idempotent). */
  async upsert(kind: SeriesKind, entry: CatalogEntry): Promise<void> {
    await this.session.execute(STATEMENTS[kind].upsert, [
      entry.id,
      unsetIfAbsent(entry.symbol),
      unsetIfAbsent(entry.name),
      entry.meta,
    ]);
  }
}
