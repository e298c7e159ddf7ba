import { Injectable } from '@nestjs/common';
import { types } from 'cassandra-driver';
import type { CorporateAction, ExDate, StoredCorporateAction } from '@market/domain';
import { type CqlStatement, CassandraSession } from '../cassandra.session';
import type { SeriesKind } from '../price-point';
import { decimalBytes, decimalTextOf } from '../wire-values';
import { firstTsWriteTimestamp } from './series-extent.repository';

const COLUMNS =
  'ex_date, action_type, source_id, numerator, denominator, decimalAsBlob(amount) AS amount, currency, known_at, recorded_at';

const UPSERT: CqlStatement = {
  name: 'corporate_actions.upsert',
  cql:
    'INSERT INTO {{keyspace}}.corporate_actions (series_kind, series_id, ex_date, action_type, source_id, ' +
    'numerator, denominator, amount, currency, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  kind: 'write',
  idempotent: true,
};

/** known_at on its own: its write timestamp falls as the value rises, so the earliest value wins. */
const SET_KNOWN_AT: CqlStatement = {
  name: 'corporate_actions.set_known_at',
  cql:
    'UPDATE {{keyspace}}.corporate_actions USING TIMESTAMP ? SET known_at = ? ' +
    'WHERE series_kind = ? AND series_id = ? AND ex_date = ? AND action_type = ? AND source_id = ?',
  kind: 'write',
  idempotent: true,
};

const LIST: CqlStatement = {
  name: 'corporate_actions.list',
  cql:
    `SELECT ${COLUMNS} FROM {{keyspace}}.corporate_actions ` +
    'WHERE series_kind = ? AND series_id = ? AND ex_date >= ? AND ex_date <= ?',
  kind: 'read',
  idempotent: true,
};

/** A series has at most a few hundred actions: one page holds them all. */
const FETCH_SIZE = 5000;

const FIRST_DAY: ExDate = '0001-01-01';
const LAST_DAY: ExDate = '9999-12-31';

/** All CQL of `corporate_actions`: splits and dividends per series, stored raw. */
@Injectable()
export class CorporateActionRepository {
  constructor(private readonly session: CassandraSession) {}

  /**
   * Stores actions; writing the same action again writes the same row, and known_at keeps
   * its earliest value (the action's own, else `now` of the first write).
   */
  async upsert(kind: SeriesKind, seriesId: string, actions: readonly CorporateAction[], now: Date): Promise<void> {
    for (const action of actions) {
      const key = [kind, seriesId, types.LocalDate.fromString(action.exDate), action.type, action.sourceId];
      const split = action.type === 'split';
      await this.session.execute(UPSERT, [
        ...key,
        split ? action.numerator : types.unset,
        split ? action.denominator : types.unset,
        split ? types.unset : decimalBytes(action.amount),
        split ? types.unset : action.currency,
        now,
      ]);
      const knownAt = action.knownAt ?? now;
      await this.session.execute(SET_KNOWN_AT, [firstTsWriteTimestamp(knownAt), knownAt, ...key]);
    }
  }

  /** The series' actions with an ex-date in [from, to] (whole dates, both inclusive), by ex-date. */
  async list(kind: SeriesKind, seriesId: string, from?: ExDate, to?: ExDate): Promise<StoredCorporateAction[]> {
    const result = await this.session.execute(
      LIST,
      [kind, seriesId, types.LocalDate.fromString(from ?? FIRST_DAY), types.LocalDate.fromString(to ?? LAST_DAY)],
      { fetchSize: FETCH_SIZE },
    );
    return result.rows.map(actionFromRow);
  }
}

function dateText(value: unknown): ExDate {
  if (!(value instanceof types.LocalDate)) throw new TypeError('corporate action row without an ex-date');
  const { year, month, day } = value;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function optionalDate(value: unknown): Date | null {
  return value instanceof Date ? value : null;
}

function actionFromRow(row: types.Row): StoredCorporateAction {
  const exDate = dateText(row.get('ex_date'));
  const type: unknown = row.get('action_type');
  const sourceId = String(row.get('source_id'));
  const stamps = {
    exDate,
    sourceId,
    knownAt: optionalDate(row.get('known_at')),
    recordedAt: optionalDate(row.get('recorded_at')),
  };
  if (type === 'split') {
    const numerator: unknown = row.get('numerator');
    const denominator: unknown = row.get('denominator');
    if (typeof numerator !== 'number' || typeof denominator !== 'number') {
      throw new TypeError(`split of ${exDate} without its terms`);
    }
    return { type, numerator, denominator, ...stamps };
  }
  const amount: unknown = row.get('amount');
  const currency: unknown = row.get('currency');
  if (type !== 'dividend' || !Buffer.isBuffer(amount) || typeof currency !== 'string') {
    throw new TypeError(`corporate action of ${exDate} of unknown type or without its amount`);
  }
  return { type, amount: decimalTextOf(amount), currency, ...stamps };
}
