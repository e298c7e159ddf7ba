import { Injectable } from '@nestjs/common';
import {
  type DailyRollup,
  type PagePosition,
  RollupRepository,
  SeriesExtentRepository,
  localDayAt,
} from '@market/cassandra';
import { type AggregatedBar, mergeAggregatedBars, nextTimeframeStartMs, timeframeStartMs } from '@market/domain';
import { BaseBarAggregator } from './base-bar-aggregator';
import type { BarPage, BarPageRequest, BarSource, TimedBar } from './bar-source';

/**
 * `1d`, `1w` and `1mo` bars from the daily rollups the series writer keeps (docs/rollups.md):
 * a day is one rollup row, a week or a month the fold of its days' rows, so a year of daily
 * bars is one partition read instead of ~100,000 base rows. Pages hold whole bars and resume
 * at a bar boundary, the same token shape the base-bar aggregator uses.
 *
 * The base-bar aggregator serves the page instead when the rollups cannot: a `tz` other than
 * the zone the rows were cut in (rows carry it), a position from a base-row walk, or a range
 * holding no rollup row at all (data stored before rollups and not yet rebuilt with
 * `ingestor rollup`).
 */
@Injectable()
export class RollupBarSource implements BarSource {
  constructor(
    private readonly rollups: RollupRepository,
    private readonly baseBars: BaseBarAggregator,
    private readonly extents: SeriesExtentRepository,
  ) {}

  async readBars(request: BarPageRequest): Promise<BarPage> {
    const position = request.position;
    if (position !== null && (position.pageState !== null || position.bucketIndex !== 0 || position.lastTs !== null)) {
      return this.baseBars.readBars(request);
    }
    const page = await this.readRollups(request, position?.barBoundary);
    return page ?? this.baseBars.readBars(request);
  }

  /** A page from the rollups, or null when the base-bar aggregator must serve it. */
  private async readRollups(request: BarPageRequest, boundary: number | undefined): Promise<BarPage | null> {
    const { order, timeframe, zone, limit } = request;
    // Clamped to the series' extent, as base-row reads are: an open range ("the last 12
    // months") would otherwise visit one year partition per year since 0001.
    const extent = await this.extents.get(request.kind, request.seriesId);
    const from = Math.max(
      order === 'asc' && boundary !== undefined ? boundary : request.from.getTime(),
      extent?.first.getTime() ?? -Infinity,
    );
    const to = Math.min(
      order === 'desc' && boundary !== undefined ? boundary : request.to.getTime(),
      extent?.last.getTime() ?? Infinity,
    );
    if (from > to) return { bars: [], next: null, work: { baseRows: 0, emptyBuckets: 0 } };
    const bars: TimedBar[] = [];
    let pending: TimedBar | null = null;
    let rows = 0;
    const days = this.rollups.days(
      request.kind,
      request.seriesId,
      localDayAt(from, zone).day,
      localDayAt(to, zone).day,
      order,
    );
    for await (const rollup of days) {
      if (rollup.timezone !== zone.name) return null;
      rows += 1;
      const dayStart = rollup.dayStart.getTime();
      // A week or a month goes on while its days do: no zone arithmetic per day.
      if (pending !== null && dayStart >= pending.ts && dayStart < pending.end) {
        const day = adjustedPiece(aggregateOfRollup(rollup, pending.ts), dayStart, request);
        const merged: AggregatedBar =
          order === 'asc' ? mergeAggregatedBars(pending, day) : mergeAggregatedBars(day, pending);
        pending = { ...merged, end: pending.end };
        continue;
      }
      if (pending !== null) {
        bars.push(pending);
        if (bars.length === limit) {
          // This row opens the bar after the page: the next page starts at that bar's boundary.
          const next = boundaryPosition(order === 'asc' ? pending.end : pending.ts - 1);
          return { bars, next, work: { baseRows: rows, emptyBuckets: 0 } };
        }
      }
      // A day's bounds are stored with it; a week's or a month's are worked out once per bar.
      const start = timeframe === '1d' ? dayStart : timeframeStartMs(dayStart, timeframe, zone);
      const end = timeframe === '1d' ? rollup.dayEnd.getTime() : nextTimeframeStartMs(start, timeframe, zone);
      pending = { ...adjustedPiece(aggregateOfRollup(rollup, start), dayStart, request), end };
    }
    if (rows === 0) return null;
    if (pending !== null) bars.push(pending);
    return { bars, next: null, work: { baseRows: rows, emptyBuckets: 0 } };
  }
}

/** A day's rollup as one aggregated bar starting at `ts`. */
function aggregateOfRollup(rollup: DailyRollup, ts: number): AggregatedBar {
  return {
    ts,
    open: rollup.open,
    high: rollup.high,
    low: rollup.low,
    close: rollup.close,
    volume: rollup.volume,
    barCount: rollup.barCount,
  };
}

/** A day's rollup (from `dayStart`) as a piece of its bar, adjusted when the read is. */
function adjustedPiece(piece: AggregatedBar, dayStart: number, request: BarPageRequest): AggregatedBar {
  return request.adjustment === undefined ? piece : request.adjustment.adjustPiece(piece, dayStart);
}

function boundaryPosition(barBoundary: number): PagePosition {
  return { bucketIndex: 0, pageState: null, lastTs: null, barBoundary };
}
