import {
  type BucketSlice,
  type CatalogRepository,
  type PricePoint,
  RangeReader,
  type SeriesExtentRepository,
  type TimeSeriesRepository,
} from '@market/cassandra';
import type { ConfigType } from '@nestjs/config';
import { GapFiller } from '../coverage/gap-filler';
import type { CorporateActionsService } from '../adjustments/corporate-actions.service';
import { CatalogEntryCache } from '../catalog/catalog-entry.cache';
import type { apiConfig } from '../config/api.config';
import { PageTokens } from '../paging/page-tokens';
import { BaseBarAggregator } from './base-bar-aggregator';
import { TimeSeriesService } from './time-series.service';

const MINUTE = 60_000;
const START = Date.parse('2025-08-04T13:30:00Z');

/** A repository over 5,000 one-minute points of one August partition, counting its reads. */
function countingRepository() {
  const points: PricePoint[] = Array.from({ length: 5000 }, (_, index) => ({
    ts: new Date(START + index * MINUTE),
    price: '1.00',
    open: null,
    high: null,
    low: null,
    volume: null,
    sourceId: 'test',
  }));
  const repository = {
    reads: 0,
    readSlice(_kind: string, _id: string, slice: BucketSlice, page: { fetchSize: number; pageState?: string | null }) {
      repository.reads += 1;
      const inSlice = points.filter((point) => point.ts >= slice.from && point.ts <= slice.to);
      const offset = Number(page.pageState ?? 0);
      const next = offset + page.fetchSize;
      return Promise.resolve({
        points: inSlice.slice(offset, next),
        pageState: next < inSlice.length ? String(next) : null,
      });
    },
  };
  return repository;
}

function service(repository: ReturnType<typeof countingRepository>): TimeSeriesService {
  const config = {
    rangeCapPoints: 400_000,
    rangeMaxEmptyBuckets: 60,
    pageTokens: { secret: 'unit-test-page-token-secret-0123456789', ttlSeconds: 600 },
  } as unknown as ConfigType<typeof apiConfig>;
  const catalog = {
    get: () => Promise.resolve({ id: 'X', symbol: 'X', name: 'X', meta: { interval: '1m' } }),
  } as unknown as CatalogRepository;
  // No extent recorded: the reader walks the whole requested range.
  const extents = { get: () => Promise.resolve(null) } as unknown as SeriesExtentRepository;
  const ranges = new RangeReader(repository as unknown as TimeSeriesRepository, extents);
  const bars = new BaseBarAggregator(ranges);
  const entries = new CatalogEntryCache(catalog);
  const gapFiller = new GapFiller(entries, ranges, config);
  const actions = {} as CorporateActionsService; // raw reads never ask for actions
  return new TimeSeriesService(entries, ranges, new PageTokens(config), bars, bars, config, gapFiller, actions);
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('TimeSeriesService read-ahead', () => {
  const range = { from: '2025-08-01', to: '2025-08-31', sort: 'asc' as const };

  it('reads the next page ahead after a bulk first page (1,000 rows or more), and serves it from there', async () => {
    const repository = countingRepository();
    const timeSeries = service(repository);
    const first = await timeSeries.readRange('asset', 'X', { ...range, limit: 1000 });
    await settle();
    expect(repository.reads).toBe(2);
    const second = await timeSeries.readRange('asset', 'X', {
      ...range,
      limit: 1000,
      pageToken: first.nextPageToken ?? undefined,
    });
    expect(second.points[0]?.ts.getTime()).toBe(START + 1000 * MINUTE);
    await settle();
    expect(repository.reads).toBe(3); // page 2 came from the read-ahead; page 3 is being read ahead
  });

  it('does not read ahead after a small first page (a dashboard asking once)', async () => {
    const repository = countingRepository();
    const first = await service(repository).readRange('asset', 'X', { ...range, limit: 100 });
    await settle();
    expect(first.nextPageToken).not.toBeNull();
    expect(repository.reads).toBe(1);
  });
});
