import { Injectable } from '@nestjs/common';
import { type CqlStatement, CassandraSession } from '../cassandra.session';
import type { SeriesKind } from '../price-point';

/** Bar starts a provider confirmed it has no bars for: first and last start, both inclusive. */
export interface ConfirmedEmptyRange {
  readonly from: Date;
  readonly to: Date;
  readonly sourceId: string;
}

const RECORD: CqlStatement = {
  name: 'confirmed_empty_ranges.record',
  cql:
    'INSERT INTO {{keyspace}}.confirmed_empty_ranges (series_kind, series_id, range_from, range_to, source_id, confirmed_at) ' +
    'VALUES (?, ?, ?, ?, ?, ?)',
  kind: 'write',
  idempotent: true,
};
const SELECT_BEFORE: CqlStatement = {
  name: 'confirmed_empty_ranges.select_before',
  cql:
    'SELECT range_from, range_to, source_id FROM {{keyspace}}.confirmed_empty_ranges ' +
    'WHERE series_kind = ? AND series_id = ? AND range_from <= ?',
  kind: 'read',
  idempotent: true,
};

/** All CQL of `confirmed_empty_ranges` (migration 009): gap healing's memory of unfillable holes. */
@Injectable()
export class EmptyRangeRepository {
  constructor(private readonly session: CassandraSession) {}

  /** Records that `sourceId` has no bars for [from, to]; recording the same range again is harmless. */
  async record(kind: SeriesKind, seriesId: string, range: ConfirmedEmptyRange): Promise<void> {
    await this.session.execute(RECORD, [kind, seriesId, range.from, range.to, range.sourceId, new Date()]);
  }

  /** The recorded ranges that overlap [from, to], oldest first. */
  async overlapping(kind: SeriesKind, seriesId: string, from: Date, to: Date): Promise<ConfirmedEmptyRange[]> {
    const ranges: ConfirmedEmptyRange[] = [];
    // Ranges are a session long at most: those starting after `to` cannot overlap, and the
    // partition is small, so the ones ending before `from` are dropped here.
    const result = await this.session.execute(SELECT_BEFORE, [kind, seriesId, to]);
    for (const row of result.rows) {
      const rangeFrom: unknown = row.get('range_from');
      const rangeTo: unknown = row.get('range_to');
      const sourceId: unknown = row.get('source_id');
      if (!(rangeFrom instanceof Date) || !(rangeTo instanceof Date) || typeof sourceId !== 'string') continue;
      if (rangeTo >= from) ranges.push({ from: rangeFrom, to: rangeTo, sourceId });
    }
    return ranges;
  }
}
