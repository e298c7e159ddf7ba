import { Injectable } from '@nestjs/common';
import { errors as driverErrors, types } from 'cassandra-driver';
import { type CqlStatement, CassandraSession } from '../cassandra.session';
import type { SeriesKind } from '../price-point';
import { StorageUnavailableError } from '../storage-errors';
import { decimalBytes, decimalTextOf } from '../wire-values';
import { pagingOptions, unsetIfAbsent } from './bind-values';

/** A local calendar date, `YYYY-MM-DD`, in the zone the rollup was cut in. */
export type LocalDay = string;

/** The aggregate of one local day's base bars; decimals as exact strings. */
export interface DailyRollupValues {
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
  /** The sum of the base volumes; null when no base bar of the day has one. */
  readonly volume: bigint | null;
  readonly barCount: number;
  /** The first and last base bar of the day (UTC instants). */
  readonly firstTs: Date;
  readonly lastTs: Date;
}

/** A local day of a zone and its bounds as UTC instants (epoch ms; end exclusive). */
export interface RollupDay {
  readonly day: LocalDay;
  readonly startMs: number;
  readonly endMs: number;
}

/** One stored daily rollup of a series. */
export interface DailyRollup extends DailyRollupValues {
  readonly day: LocalDay;
  /** The IANA zone whose calendar `day` belongs to. */
  readonly timezone: string;
  /** The day's first instant and the next day's first instant (23 or 25 hours apart across DST). */
  readonly dayStart: Date;
  readonly dayEnd: Date;
}

/** Where a row stands for a compare-and-set: its version, or null when the day has no row. */
export type RollupVersion = number | null;

/** The outcome of a compare-and-set of one day's row. */
export type RollupReplaceOutcome =
  | { readonly status: 'applied' }
  /** Another writer moved the row first; `current` is the version it left. */
  | { readonly status: 'lost'; readonly current: RollupVersion }
  /** Cassandra timed the transaction out (contention): it may or may not have been applied. */
  | { readonly status: 'unknown' };

const TABLES: Record<SeriesKind, { table: string; idColumn: string }> = {
  asset: { table: 'asset_daily_rollup', idColumn: 'asset_id' },
  commodity: { table: 'commodity_daily_rollup', idColumn: 'commodity_id' },
};

/** Decimals and the volume as protocol bytes, as every price read does (price-point.ts says why). */
const ROLLUP_COLUMNS =
  'day, decimalAsBlob(open) AS open, decimalAsBlob(high) AS high, decimalAsBlob(low) AS low, ' +
  'decimalAsBlob(close) AS close, bigintAsBlob(volume) AS volume, bar_count, first_ts, last_ts, day_start, day_end, timezone';

const VALUE_COLUMNS =
  'open, high, low, close, volume, bar_count, first_ts, last_ts, day_start, day_end, timezone, computed_at, version';

function statementsFor(kind: SeriesKind) {
  const { table, idColumn } = TABLES[kind];
  const key = `${idColumn} = ? AND year = ?`;
  const range = `SELECT ${ROLLUP_COLUMNS} FROM {{keyspace}}.${table} WHERE ${key} AND day >= ? AND day <= ?`;
  return {
    getVersion: {
      name: `${table}.get_version`,
      cql: `SELECT version FROM {{keyspace}}.${table} WHERE ${key} AND day = ?`,
      kind: 'read',
      idempotent: true,
    },
    insertFirst: {
      name: `${table}.insert_first`,
      cql: `INSERT INTO {{keyspace}}.${table} (${VALUE_COLUMNS}, ${idColumn}, year, day) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) IF NOT EXISTS`,
      kind: 'write',
      idempotent: false,
    },
    replaceIfVersion: {
      name: `${table}.replace_if_version`,
      cql:
        `UPDATE {{keyspace}}.${table} SET open = ?, high = ?, low = ?, close = ?, volume = ?, bar_count = ?, ` +
        `first_ts = ?, last_ts = ?, day_start = ?, day_end = ?, timezone = ?, computed_at = ?, version = ? WHERE ${key} AND day = ? IF version = ?`,
      kind: 'write',
      idempotent: false,
    },
    selectRangeAsc: {
      name: `${table}.select_range_asc`,
      cql: `${range} ORDER BY day ASC`,
      kind: 'read',
      idempotent: true,
    },
    selectRangeDesc: {
      name: `${table}.select_range_desc`,
      cql: `${range} ORDER BY day DESC`,
      kind: 'read',
      idempotent: true,
    },
  } satisfies Record<string, CqlStatement>;
}

const STATEMENTS: Record<SeriesKind, ReturnType<typeof statementsFor>> = {
  asset: statementsFor('asset'),
  commodity: statementsFor('commodity'),
};

/** A year holds at most 366 rows: one page reads a whole partition. */
const YEAR_FETCH_SIZE = 400;

/** The year of a local day (the partition it is stored in). */
export function yearOfDay(day: LocalDay): number {
  return Number(day.slice(0, 4));
}

function versionOf(row: types.Row | null): RollupVersion {
  const version: unknown = row?.get('version');
  return version instanceof types.Long ? version.toNumber() : null;
}

function dayText(value: unknown): LocalDay {
  if (!(value instanceof types.LocalDate)) throw new TypeError('rollup row without a day');
  const { year, month, day } = value;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** A stored row, or null for a day kept empty (its base rows are gone). */
function rollupFromRow(row: types.Row): DailyRollup | null {
  const [open, high, low, close, volume] = ['open', 'high', 'low', 'close', 'volume'].map((column): unknown =>
    row.get(column),
  );
  const barCount: unknown = row.get('bar_count');
  const firstTs: unknown = row.get('first_ts');
  const lastTs: unknown = row.get('last_ts');
  const dayStart: unknown = row.get('day_start');
  const dayEnd: unknown = row.get('day_end');
  const timezone: unknown = row.get('timezone');
  if (typeof barCount !== 'number' || barCount === 0) return null;
  if (
    !Buffer.isBuffer(open) ||
    !Buffer.isBuffer(high) ||
    !Buffer.isBuffer(low) ||
    !Buffer.isBuffer(close) ||
    !(firstTs instanceof Date) ||
    !(lastTs instanceof Date) ||
    !(dayStart instanceof Date) ||
    !(dayEnd instanceof Date) ||
    typeof timezone !== 'string'
  ) {
    throw new TypeError(`rollup row of ${dayText(row.get('day'))} with bars but without prices`);
  }
  return {
    day: dayText(row.get('day')),
    open: decimalTextOf(open),
    high: decimalTextOf(high),
    low: decimalTextOf(low),
    close: decimalTextOf(close),
    volume: Buffer.isBuffer(volume) && volume.length === 8 ? volume.readBigInt64BE(0) : null,
    barCount,
    firstTs,
    lastTs,
    dayStart,
    dayEnd,
    timezone,
  };
}

/** A CAS that Cassandra timed out: Paxos may or may not have chosen it. */
function isCasTimeout(error: unknown): boolean {
  const cause: unknown = error instanceof StorageUnavailableError ? error.cause : undefined;
  return (
    cause instanceof driverErrors.ResponseError &&
    cause.code === Number(types.responseErrorCodes.writeTimeout) &&
    Reflect.get(cause, 'writeType') === 'CAS'
  );
}

/**
 * All CQL of `asset_daily_rollup` / `commodity_daily_rollup`. Every write is a compare-and-set
 * on the row's `version` (series/rollup-maintainer.ts says why that keeps rows right under
 * concurrent writers); reads return whole days in either order.
 */
@Injectable()
export class RollupRepository {
  constructor(private readonly session: CassandraSession) {}

  /** The version of a day's row, or null when it has none (read at the configured consistency). */
  async version(kind: SeriesKind, seriesId: string, day: LocalDay): Promise<RollupVersion> {
    const result = await this.session.execute(STATEMENTS[kind].getVersion, [seriesId, yearOfDay(day), day]);
    return versionOf(result.first());
  }

  /**
   * Replaces a day's row if it is still at `expected` (null: if it does not exist yet), and
   * moves its version on by one. `values` null keeps the day as an empty row (its bars are
   * gone). `computedAt` is when the recomputation began reading, kept for diagnosis.
   */
  async replace(
    kind: SeriesKind,
    seriesId: string,
    day: RollupDay,
    timezone: string,
    values: DailyRollupValues | null,
    expected: RollupVersion,
    computedAt: Date,
  ): Promise<RollupReplaceOutcome> {
    const statements = STATEMENTS[kind];
    const next = types.Long.fromNumber((expected ?? 0) + 1);
    // In the UPDATE a null is meant (it clears what an earlier recomputation wrote); a first
    // INSERT leaves absent values unset, so it writes no tombstones.
    const absent = expected === null ? unsetIfAbsent : <T>(value: T | null) => value;
    const cells = [
      values === null ? absent(null) : decimalBytes(values.open),
      values === null ? absent(null) : decimalBytes(values.high),
      values === null ? absent(null) : decimalBytes(values.low),
      values === null ? absent(null) : decimalBytes(values.close),
      absent(values === null || values.volume === null ? null : types.Long.fromString(values.volume.toString())),
      values?.barCount ?? 0,
      absent(values?.firstTs ?? null),
      absent(values?.lastTs ?? null),
      new Date(day.startMs),
      new Date(day.endMs),
      timezone,
      computedAt,
      next,
    ];
    const key = [seriesId, yearOfDay(day.day), day.day];
    let result: types.ResultSet;
    try {
      result =
        expected === null
          ? await this.session.execute(statements.insertFirst, [...cells, ...key])
          : await this.session.execute(statements.replaceIfVersion, [
              ...cells,
              ...key,
              types.Long.fromNumber(expected),
            ]);
    } catch (error) {
      if (isCasTimeout(error)) return { status: 'unknown' };
      throw error;
    }
    return result.wasApplied() ? { status: 'applied' } : { status: 'lost', current: versionOf(result.first()) };
  }

  /**
   * The rollups of the days in [fromDay, toDay] (inclusive), oldest first (`asc`) or newest
   * first (`desc`), one year partition at a time, so a caller that stops early reads no
   * further year. Days kept empty are skipped.
   */
  async *days(
    kind: SeriesKind,
    seriesId: string,
    fromDay: LocalDay,
    toDay: LocalDay,
    order: 'asc' | 'desc' = 'asc',
  ): AsyncGenerator<DailyRollup> {
    const [firstYear, lastYear] = [yearOfDay(fromDay), yearOfDay(toDay)];
    const statement = order === 'asc' ? STATEMENTS[kind].selectRangeAsc : STATEMENTS[kind].selectRangeDesc;
    for (let offset = 0; offset <= lastYear - firstYear; offset += 1) {
      const year = order === 'asc' ? firstYear + offset : lastYear - offset;
      let pageState: string | null = null;
      do {
        const result: types.ResultSet = await this.session.execute(
          statement,
          [seriesId, year, fromDay, toDay],
          pagingOptions(YEAR_FETCH_SIZE, pageState),
        );
        for (const row of result.rows) {
          const rollup = rollupFromRow(row);
          if (rollup !== null) yield rollup;
        }
        pageState = result.pageState ?? null;
      } while (pageState !== null);
    }
  }
}
