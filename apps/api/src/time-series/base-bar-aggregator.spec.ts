import type { PricePoint, RangeReadPage, RangeReadRequest, RangeReader } from '@market/cassandra';
import { parseTimeZone } from '@market/domain';
import { InvalidQueryError } from '../errors/api-errors';
import { BaseBarAggregator } from './base-bar-aggregator';
import type { BarPageRequest } from './bar-source';

const utc = parseTimeZone('UTC');
const point = (iso: string, price: string): PricePoint => ({
  ts: new Date(iso),
  price,
  open: null,
  high: null,
  low: null,
  volume: 1,
  sourceId: 'unit',
});

/** A range reader that answers the given pages in turn and records the requests. */
function scriptedReader(pages: RangeReadPage[]) {
  const requests: RangeReadRequest[] = [];
  const reader = {
    readPage: (request: RangeReadRequest) => {
      requests.push(request);
      return Promise.resolve(pages.shift() ?? { points: [], next: null });
    },
  } as unknown as RangeReader;
  return { reader, requests };
}

const request: BarPageRequest = {
  kind: 'asset',
  seriesId: 'X',
  timeframe: '1h',
  zone: utc,
  from: new Date('2025-01-01T00:00:00Z'),
  to: new Date('2025-12-31T23:59:59.999Z'),
  order: 'asc',
  limit: 10,
  position: null,
  maxBaseRows: 3,
  maxEmptyBuckets: 1,
};

describe('BaseBarAggregator', () => {
  it('refuses a bar that alone holds more base rows than the cap, rather than splitting it', async () => {
    const { reader } = scriptedReader([
      {
        points: [
          point('2025-01-01T00:00:00Z', '1'),
          point('2025-01-01T00:01:00Z', '2'),
          point('2025-01-01T00:02:00Z', '3'),
        ],
        next: { bucketIndex: 0, pageState: 'ab', lastTs: Date.parse('2025-01-01T00:02:00Z') },
        emptyReads: 0,
      },
    ]);
    await expect(new BaseBarAggregator(reader).readBars(request)).rejects.toThrow(InvalidQueryError);
  });

  it('drops a bar the walk has not passed when the cap stops it, and resumes at that bar', async () => {
    const { reader } = scriptedReader([
      {
        points: [
          point('2025-01-01T00:00:00Z', '1'),
          point('2025-01-01T01:00:00Z', '2'),
          point('2025-01-01T01:01:00Z', '3'),
        ],
        next: { bucketIndex: 0, pageState: 'ab', lastTs: Date.parse('2025-01-01T01:01:00Z') },
        emptyReads: 0,
      },
    ]);
    const page = await new BaseBarAggregator(reader).readBars(request);
    expect(page.bars.map((bar) => [new Date(bar.ts).toISOString(), bar.close, bar.barCount])).toEqual([
      ['2025-01-01T00:00:00.000Z', '1', 1],
    ]);
    expect(page.next).toEqual({
      bucketIndex: 0,
      pageState: null,
      lastTs: null,
      barBoundary: Date.parse('2025-01-01T01:00:00Z'),
    });
  });

  it('keeps a bar once the walk stopped in a later month, and resumes at the reader position', async () => {
    const { reader, requests } = scriptedReader([
      {
        points: [point('2025-01-31T23:30:00Z', '7')],
        next: { bucketIndex: 1, pageState: null, lastTs: null },
        emptyReads: 0,
      },
      {
        points: [],
        next: { bucketIndex: 2, pageState: null, lastTs: Date.parse('2025-01-31T23:30:00Z') },
        emptyReads: 1,
      },
    ]);
    const page = await new BaseBarAggregator(reader).readBars({ ...request, maxBaseRows: 100 });
    expect(page.bars.map((bar) => new Date(bar.ts).toISOString())).toEqual(['2025-01-31T23:00:00.000Z']);
    expect(page.next).toEqual({
      bucketIndex: 2,
      pageState: null,
      lastTs: Date.parse('2025-01-31T23:30:00Z'),
      barBoundary: request.from.getTime(),
    });
    expect(requests).toHaveLength(2);
    expect(page.work).toEqual({ baseRows: 1, emptyBuckets: 1 });
  });
});
