import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import {
  type CoverageTotals,
  CoverageReader,
  type SeriesKind,
  type SessionCoverage,
  coverageTotals,
} from '@market/cassandra';
import {
  type BarInterval,
  type ExchangeCalendar,
  catalogCalendar,
  catalogTimeZone,
  parseBarInterval,
  parseTimeZone,
} from '@market/domain';
import { CatalogEntryCache } from '../catalog/catalog-entry.cache';
import { apiConfig } from '../config/api.config';
import { InvalidQueryError, ResourceNotFoundError } from '../errors/api-errors';
import { parseRangeBounds } from '../time-series/range-bounds';

/** A report spans at most this many days: one rollup partition, or two, per request. */
export const COVERAGE_MAX_DAYS = 366;

const DAY_MS = 86_400_000;
/** A series whose interval the catalog does not state is read as one-minute bars (as range reads do). */
const ASSUMED_INTERVAL: BarInterval = '1m';

export interface CoverageReport {
  readonly id: string;
  readonly calendar: ExchangeCalendar;
  readonly interval: BarInterval;
  readonly from: Date;
  readonly to: Date;
  readonly days: readonly SessionCoverage[];
  readonly totals: CoverageTotals;
}

/**
 * The coverage route (SPEC 13): bounds checked, the series' calendar, interval and zone from
 * its catalog entry, the report from the library's coverage reader (rollup counts first,
 * base bars only for sessions that fall short).
 */
@Injectable()
export class CoverageService {
  constructor(
    private readonly catalog: CatalogEntryCache,
    private readonly reader: CoverageReader,
    @Inject(apiConfig.KEY) private readonly config: ConfigType<typeof apiConfig>,
  ) {}

  async coverage(kind: SeriesKind, id: string, range: { from: string; to?: string }): Promise<CoverageReport> {
    const { from, to } = parseRangeBounds(range.from, range.to, new Date());
    if (to.getTime() - from.getTime() >= COVERAGE_MAX_DAYS * DAY_MS) {
      throw new InvalidQueryError('to', `a coverage report spans at most ${COVERAGE_MAX_DAYS} days: split the range`);
    }
    const entry = await this.catalog.get(kind, id);
    if (entry === null) throw new ResourceNotFoundError(kind, id);
    const calendar = catalogCalendar(entry.meta);
    if (calendar === null) {
      throw new InvalidQueryError('id', `${kind} "${id}" follows no exchange calendar (its source keeps no sessions)`);
    }
    const interval = parseBarInterval(entry.meta.interval ?? '') ?? ASSUMED_INTERVAL;
    const zone = parseTimeZone(catalogTimeZone(entry.meta));
    const series = { kind, seriesId: id, calendar, interval, zone };
    const days = await this.reader.coverage(series, from, to, this.config.rangeMaxEmptyBuckets);
    return { id, calendar, interval, from, to, days, totals: coverageTotals(days) };
  }
}
