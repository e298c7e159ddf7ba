import { Injectable } from '@nestjs/common';
import type { types } from 'cassandra-driver';
import { type CqlStatement, CassandraSession } from '../cassandra.session';
import { type PricePoint, pricePointFromRow } from '../price-point';

const GET_LATEST: CqlStatement = {
  name: 'latest_quote_by_asset.get',
  cql: 'SELECT ts, price, open, high, low, volume, source_id FROM latest_quote_by_asset WHERE asset_id = ?',
  kind: 'read',
  idempotent: true,
};

/** All CQL of `latest_quote_by_asset`: the latest quote is one single-row read, never a scan. */
@Injectable()
export class QuoteRepository {
  constructor(private readonly session: CassandraSession) {}

  async latest(assetId: string): Promise<PricePoint | null> {
    const row = (await this.session.execute(GET_LATEST, [assetId])).first() as types.Row | null;
    return row === null ? null : pricePointFromRow(row);
  }
}
