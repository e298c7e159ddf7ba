import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { type PricePoint, RangeReader, type SeriesKind } from '@market/cassandra';
import {
  type BarInterval,
  type ExchangeCalendar,
  catalogCalendar,
  parseBarInterval,
  nextTimeframeStartMs,
  parseTimeZone,
} from '@market/domain';
import { CatalogEntryCache } from '../catalog/catalog-entry.cache';
import { apiConfig } from '../config/api.config';
import { InvalidQueryError } from '../errors/api-errors';
import type { RangePage, ServedBar } from '../time-series/time-series.service';
import { type Closed, type FillGrid, FillTooLargeError, fillPage, fillSlots } from './gap-fill';

/** How a range read treats missing bars: `none` leaves them out, `previous` carries the last close. */
export type FillMode = 'none' | 'previous';

export const FILL_MODES: readonly FillMode[] = ['none', 'previous'];

/** What a page token binds of the fill mode: nothing for `none`, so tokens without fill stay valid. */
export function fillBinding(fill: FillMode | undefined): { readonly fill?: 'previous' } {
  return fill === 'previous' ? { fill } : {};
}

/** The first instant a bucket can name: a predecessor is searched back to it (bounded by empty buckets). */
const EARLIEST = new Date('0001-01-01T00:00:00Z');
const ASSUMED_INTERVAL: BarInterval = '1m';

/**
 * `fill=previous` on range reads (SPEC 13): inside the sessions of the series' calendar, a
 * missing bar becomes the previous close with open = high = low = close, volume 0 and
 * `filled: true`; never outside a session and never before the series' first bar. Pages are
 * ascending; each stays bounded (RANGE_CAP_POINTS filled bars at most).
 */
@Injectable()
export class GapFiller {
  constructor(
    private readonly catalog: CatalogEntryCache,
    private readonly ranges: RangeReader,
    @Inject(apiConfig.KEY) private readonly config: ConfigType<typeof apiConfig>,
  ) {}

  /** The page with its gaps filled and the instants of the bars it added. */
  async fill(kind: SeriesKind, id: string, page: RangePage): Promise<RangePage> {
    if (page.sort !== 'asc') throw new InvalidQueryError('fill', 'fill=previous reads ascending only: use sort=asc');
    const entry = await this.catalog.get(kind, id);
    const calendar = entry === null ? null : catalogCalendar(entry.meta);
    if (entry === null || calendar === null) {
      throw new InvalidQueryError('fill', `${kind} "${id}" follows no exchange calendar: fill=previous needs one`);
    }
    const { aggregation } = page;
    const firstTs = aggregation === undefined ? page.points[0]?.ts.getTime() : aggregation.bars[0]?.ts;
    const previous = await this.previousClose(kind, id, firstTs ?? page.to.getTime() + 1);
    const window = { fromMs: page.from.getTime(), toMs: page.to.getTime() };
    const last = page.nextPageToken === null;
    try {
      if (aggregation === undefined) {
        const interval = parseBarInterval(entry.meta.interval ?? '') ?? ASSUMED_INTERVAL;
        const slots = this.slotsOf(calendar, { kind: 'interval', interval }, window);
        const filled = fillPage(page.points.map(closedPoint), previous, last, slots, filledPoint);
        return { ...page, points: filled.items.map((item) => item.point), filled: filled.filledTs };
      }
      const timeframe = aggregation.timeframe;
      const zone = parseTimeZone(aggregation.tz);
      const slots = this.slotsOf(calendar, { kind: 'timeframe', timeframe, zone }, window);
      const now = Date.now();
      const filled = fillPage(aggregation.bars, previous, last, slots, (ts, close): ServedBar => {
        const end = nextTimeframeStartMs(ts, timeframe, zone);
        return { ts, end, open: close, high: close, low: close, close, volume: 0n, barCount: 0, complete: end <= now };
      });
      return { ...page, aggregation: { ...aggregation, bars: filled.items }, filled: filled.filledTs };
    } catch (error) {
      if (error instanceof FillTooLargeError) throw new InvalidQueryError('fill', error.message);
      throw error;
    }
  }

  private slotsOf(calendar: ExchangeCalendar, grid: FillGrid, window: { fromMs: number; toMs: number }) {
    let budget = this.config.rangeCapPoints;
    return (afterMs: number, beforeMs: number) => {
      const slots = fillSlots(calendar, grid, { ...window, afterMs, beforeMs }, budget);
      budget -= slots.length;
      return slots;
    };
  }

  /** The close of the series' last base row before `beforeMs`, or null (none, or beyond the empty-bucket bound). */
  private async previousClose(kind: SeriesKind, id: string, beforeMs: number): Promise<Closed | null> {
    const page = await this.ranges.readPage({
      kind,
      seriesId: id,
      from: EARLIEST,
      to: new Date(beforeMs - 1),
      order: 'desc',
      limit: 1,
      position: null,
      maxEmptyBuckets: this.config.rangeMaxEmptyBuckets,
    });
    const [point] = page.points;
    return point === undefined ? null : { ts: point.ts.getTime(), close: point.price };
  }
}

interface ClosedPoint extends Closed {
  readonly point: PricePoint;
}

function closedPoint(point: PricePoint): ClosedPoint {
  return { ts: point.ts.getTime(), close: point.price, point };
}

function filledPoint(ts: number, close: string): ClosedPoint {
  return { ts, close, point: { ts: new Date(ts), price: close, open: close, high: close, low: close, volume: 0, sourceId: null } };
}
