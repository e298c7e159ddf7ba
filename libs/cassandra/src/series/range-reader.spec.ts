import type { BucketSlice } from '../buckets';
import { InvalidPageTokenError } from '../page-token';
import type { PricePoint } from '../price-point';
import type { SeriesExtent, SeriesExtentRepository } from '../repositories/series-extent.repository';
import type { TimeSeriesRepository } from '../repositories/time-series.repository';
import { RefusedPagingStateError } from '../storage-errors';
import { RangeReader, type RangeReadRequest, walkWindow } from './range-reader';

const at = (iso: string) => new Date(iso);
const point = (ts: Date): PricePoint => ({
  ts,
  price: '1.00',
  open: null,
  high: null,
  low: null,
  volume: null,
  sourceId: 'test',
});

/** An in-memory stand-in for the table: pages of `fetchSize`, paging state = offset; counts reads. */
function fakeTable(points: readonly PricePoint[], options: { refusePageStates?: boolean } = {}) {
  const table = {
    reads: [] as string[],
    readSlice(
      _kind: string,
      _id: string,
      slice: BucketSlice,
      page: { fetchSize: number; pageState?: string | null; order?: 'asc' | 'desc' },
    ) {
      table.reads.push(slice.bucket);
      if (options.refusePageStates === true && page.pageState !== null && page.pageState !== undefined) {
        return Promise.reject(new RefusedPagingStateError('Invalid value for the paging state'));
      }
      const inSlice = points.filter((row) => row.ts >= slice.from && row.ts <= slice.to);
      if (page.order === 'desc') inSlice.reverse();
      const offset = Number(page.pageState ?? 0);
      const next = offset + page.fetchSize;
      return Promise.resolve({
        points: inSlice.slice(offset, next),
        pageState: next < inSlice.length ? String(next) : null,
      });
    },
  };
  return table;
}

function reader(table: ReturnType<typeof fakeTable>, extent: SeriesExtent | null): RangeReader {
  const extents = { get: () => Promise.resolve(extent) } as unknown as SeriesExtentRepository;
  return new RangeReader(table as unknown as TimeSeriesRepository, extents);
}

const request = (overrides: Partial<RangeReadRequest>): RangeReadRequest => ({
  kind: 'asset',
  seriesId: 'X',
  from: at('2025-01-01T00:00:00Z'),
  to: at('2025-12-31T23:59:59.999Z'),
  order: 'asc',
  limit: 100,
  position: null,
  maxEmptyBuckets: 60,
  ...overrides,
});

describe('walkWindow', () => {
  const from = at('2020-01-15T00:00:00Z');
  const to = at('2025-12-31T00:00:00Z');

  it('walks every bucket of the range when no extent is known', () => {
    expect(walkWindow(from, to, 'asc', null)).toEqual({ first: 0, last: 71 });
    expect(walkWindow(from, to, 'desc', null)).toEqual({ first: 0, last: 71 });
  });

  it('clamps to the buckets the extent and the range share, in walking order', () => {
    const extent = { first: at('2025-08-01T13:30:00Z'), last: at('2025-09-05T20:00:00Z') };
    // asc: 2025-08 is the 68th bucket after 2020-01; desc: 2025-09 is the 3rd before 2025-12.
    expect(walkWindow(from, to, 'asc', extent)).toEqual({ first: 67, last: 68 });
    expect(walkWindow(from, to, 'desc', extent)).toEqual({ first: 3, last: 4 });
  });

  it('is null when the range and the extent do not overlap', () => {
    const extent = { first: at('2026-02-01T00:00:00Z'), last: at('2026-03-01T00:00:00Z') };
    expect(walkWindow(from, to, 'asc', extent)).toBeNull();
    expect(walkWindow(at('2000-01-01T00:00:00Z'), at('2019-12-31T00:00:00Z'), 'desc', extent)).toBeNull();
  });
});

describe('RangeReader', () => {
  const august = Array.from({ length: 10 }, (_, index) =>
    point(new Date(Date.parse('2025-08-04T13:30:00Z') + index * 60_000)),
  );

  it('reads only the buckets inside the extent, whatever the requested span', async () => {
    const table = fakeTable(august);
    const extent = { first: august[0]?.ts ?? at('2025-08-04'), last: august.at(-1)?.ts ?? at('2025-08-04') };
    const page = await reader(table, extent).readPage(
      request({ from: at('0001-01-01T00:00:00Z'), to: at('2026-12-06T00:00:00Z'), order: 'desc', limit: 3 }),
    );
    expect(page.points.map((row) => row.ts)).toEqual(
      august
        .slice(7)
        .reverse()
        .map((row) => row.ts),
    );
    expect(table.reads).toEqual(['2025-08']);
    expect(page.next).not.toBeNull();
  });

  it('answers an empty page without reading any bucket when the range lies outside the extent', async () => {
    const table = fakeTable(august);
    const extent = { first: at('2025-08-04T13:30:00Z'), last: at('2025-08-04T13:39:00Z') };
    const page = await reader(table, extent).readPage(
      request({ from: at('1990-01-01T00:00:00Z'), to: at('2000-12-31T00:00:00Z') }),
    );
    expect(page).toEqual({ points: [], next: null, emptyReads: 0 });
    expect(table.reads).toEqual([]);
  });

  it('reads a range inside one bucket without asking for the extent, with the same page', async () => {
    const table = fakeTable(august);
    let extentReads = 0;
    const extents = {
      get: () => {
        extentReads += 1;
        return Promise.resolve({ first: at('2025-08-04T13:30:00Z'), last: at('2025-08-04T13:39:00Z') });
      },
    } as unknown as SeriesExtentRepository;
    const oneBucket = request({ from: at('2025-08-01T00:00:00Z'), to: at('2025-08-31T23:59:59.999Z'), limit: 5 });
    const page = await new RangeReader(table as unknown as TimeSeriesRepository, extents).readPage(oneBucket);
    expect(extentReads).toBe(0);
    expect(page).toEqual(await reader(fakeTable(august), null).readPage(oneBucket));
    expect(page.points).toHaveLength(5);
    expect(table.reads).toEqual(['2025-08']);
    const outside = request({ from: at('2025-08-05T00:00:00Z'), to: at('2025-08-05T23:59:59.999Z') });
    expect(await reader(fakeTable(august), null).readPage(outside)).toEqual({ points: [], next: null, emptyReads: 1 });
  });

  it('stops after maxEmptyBuckets empty reads and hands back where to go on', async () => {
    const table = fakeTable([point(at('2025-11-15T00:00:00Z'))]);
    const first = await reader(table, null).readPage(request({ maxEmptyBuckets: 4 }));
    expect(first.points).toEqual([]);
    expect(table.reads).toEqual(['2025-01', '2025-02', '2025-03', '2025-04']);
    expect(first.next).toEqual({ bucketIndex: 4, pageState: null, lastTs: null });
    expect(first.emptyReads).toBe(4);
    const rest = [];
    let position = first.next;
    while (position !== null) {
      const page = await reader(table, null).readPage(request({ maxEmptyBuckets: 4, position }));
      rest.push(...page.points);
      position = page.next;
    }
    expect(rest.map((row) => row.ts.toISOString())).toEqual(['2025-11-15T00:00:00.000Z']);
  });

  it('ends the walk at the extent: no token for the empty buckets after the last bar', async () => {
    const table = fakeTable(august);
    const extent = { first: at('2025-08-04T13:30:00Z'), last: at('2025-08-04T13:39:00Z') };
    const page = await reader(table, extent).readPage(request({ limit: 100 }));
    expect(page.points).toHaveLength(10);
    expect(page.next).toBeNull();
    expect(table.reads).toEqual(['2025-08']);
  });

  it('resumes just past the last ts when the paging state is refused', async () => {
    const table = fakeTable(august, { refusePageStates: true });
    const lastTs = august[3]?.ts.getTime() ?? 0;
    const page = await reader(table, null).readPage(
      request({ limit: 2, position: { bucketIndex: 7, pageState: '0ff0', lastTs } }),
    );
    expect(page.points.map((row) => row.ts)).toEqual(august.slice(4, 6).map((row) => row.ts));
    // The narrowed statement's paging state would not fit the original one: resume by ts again.
    expect(page.next).toEqual({ bucketIndex: 7, pageState: null, lastTs: august[5]?.ts.getTime() });
  });

  it('refuses a position outside the range as a malformed token', async () => {
    await expect(
      reader(fakeTable([]), null).readPage(request({ position: { bucketIndex: 12, pageState: null, lastTs: null } })),
    ).rejects.toThrow(InvalidPageTokenError);
  });
});
