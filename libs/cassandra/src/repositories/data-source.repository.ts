import { Injectable } from '@nestjs/common';
import type { types } from 'cassandra-driver';
import { type CqlStatement, CassandraSession } from '../cassandra.session';
import { unsetIfAbsent } from './bind-values';

/** A price source, with the provenance metadata the catalog shows. */
export interface DataSource {
  readonly sourceId: string;
  readonly name: string | null;
  readonly url: string | null;
  readonly meta: Readonly<Record<string, string>>;
}

const LIST: CqlStatement = {
  name: 'data_sources.list',
  cql: 'SELECT source_id, name, url, meta FROM {{keyspace}}.data_sources',
  kind: 'read',
  idempotent: true,
};
const UPSERT: CqlStatement = {
  name: 'data_sources.upsert',
  cql: 'INSERT INTO {{keyspace}}.data_sources (source_id, name, url, meta) VALUES (?, ?, ?, ?)',
  kind: 'write',
  idempotent: true,
};

function sourceFromRow(row: types.Row): DataSource {
  const name: unknown = row.get('name');
  const url: unknown = row.get('url');
  const meta: unknown = row.get('meta');
  return {
    sourceId: String(row.get('source_id')),
    name: typeof name === 'string' ? name : null,
    url: typeof url === 'string' ? url : null,
    meta: meta !== null && typeof meta === 'object' ? (meta as Record<string, string>) : {},
  };
}

/** All CQL of the `data_sources` table (a handful of rows: read whole, sorted by id). */
@Injectable()
export class DataSourceRepository {
  constructor(private readonly session: CassandraSession) {}

  async list(): Promise<DataSource[]> {
    const sources: DataSource[] = [];
    // A ResultSet iterated with for-await fetches the following pages as it goes.
    for await (const row of await this.session.execute(LIST, [])) sources.push(sourceFromRow(row));
    return sources.sort((left, right) => left.sourceId.localeCompare(right.sourceId));
  }

  async upsert(source: DataSource): Promise<void> {
    await this.session.execute(UPSERT, [
      source.sourceId,
      unsetIfAbsent(source.name),
      unsetIfAbsent(source.url),
      source.meta,
    ]);
  }
}
