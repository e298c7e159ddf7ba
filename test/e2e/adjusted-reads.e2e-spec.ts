import { type BarValues, CorporateActionRepository } from '@market/cassandra';
import { parseTimeZone } from '@market/domain';
import Decimal from 'decimal.js';
import { type RunningApi, startApi } from '../support/api-app';
import type { PricePointJson } from '../support/price-point-json';
import { seriesWriterFor } from '../support/seed';

const SERIES = 'AAPLX';
const ZONE = parseTimeZone('America/New_York');
const DAYS = ['2020-08-26', '2020-08-27', '2020-08-28', '2020-08-31', '2020-09-01'];
const MINUTE = 60_000;

/** Ten bars a day, 30 minutes apart from 13:30Z; the last close of 2020-08-28 is AAPL's 499.23. */
const BARS: BarValues[] = DAYS.flatMap((day, dayIndex) =>
  Array.from({ length: 10 }, (_, index) => {
    const last = day === '2020-08-28' && index === 9;
    const close = last ? '499.23' : `${(dayIndex < 3 ? 480 : 120) + index}.${dayIndex}${index}`;
    return {
      ts: new Date(Date.parse(`${day}T13:30:00Z`) + index * 30 * MINUTE),
      price: close,
      open: close,
      high: `${(dayIndex < 3 ? 510 : 130) + index}.5`,
      low: `${(dayIndex < 3 ? 470 : 110) - index}.25`,
      volume: 1000 + 7 * index + dayIndex,
    };
  }),
);

interface Page {
  items: PricePointJson[];
  next_page_token: string | null;
  adjustment?: string;
  adjustment_asof?: string;
}

describe('adjusted reads (real Cassandra)', () => {
  let api: RunningApi;

  const read = async (path: string, query: Record<string, string | number>) => {
    const response = await api.http.get(path).query(query);
    return response;
  };

  async function walk(query: Record<string, string | number>): Promise<PricePointJson[]> {
    const items: PricePointJson[] = [];
    let token: string | null = null;
    for (let pages = 0; pages < 200; pages += 1) {
      const response = await read(`/api/v1/data/${SERIES}`, {
        ...query,
        ...(token === null ? {} : { page_token: token }),
      });
      expect(response.status).toBe(200);
      const body = response.body as Page;
      items.push(...body.items);
      token = body.next_page_token;
      if (token === null) return items;
    }
    throw new Error('the walk did not end');
  }

  beforeAll(async () => {
    api = await startApi('e2e_adjusted');
    const writer = await seriesWriterFor(
      api.app,
      { kind: 'asset', id: SERIES, name: 'Adjusted', interval: '1m' },
      ZONE,
    );
    await writer.write('asset', SERIES, 'test', BARS, ZONE);
    await api.app.get(CorporateActionRepository).upsert(
      'asset',
      SERIES,
      [
        { type: 'split', exDate: '2020-08-31', numerator: 4, denominator: 1, sourceId: 'yahoo' },
        { type: 'dividend', exDate: '2020-08-27', amount: '0.82', currency: 'USD', sourceId: 'yahoo' },
        // The same split from a second source: applied once.
        { type: 'split', exDate: '2020-08-31', numerator: 4, denominator: 1, sourceId: 'alphavantage' },
      ],
      new Date('2020-07-30T00:00:00Z'),
    );
  }, 300_000);

  afterAll(async () => {
    await api.close();
  });

  it('answers adjustment=raw byte for byte as a read without it, raw and aggregated', async () => {
    const queries: Array<Record<string, string | number>> = [
      { from: '2020-08-26', to: '2020-09-01', limit: 100 },
      { from: '2020-08-26', to: '2020-09-01', limit: 100, timeframe: '1d' },
      { from: '2020-08-26', to: '2020-09-01', limit: 100, timeframe: '1h', sort: 'desc' },
    ];
    for (const query of queries) {
      const plain = await read(`/api/v1/data/${SERIES}`, query);
      const raw = await read(`/api/v1/data/${SERIES}`, { ...query, adjustment: 'raw' });
      expect(plain.status).toBe(200);
      expect(raw.text).toBe(plain.text);
      expect(plain.text).not.toContain('adjustment');
    }
  });

  it("reads AAPL's raw close of 499.23 on 2020-08-28 as 124.8075 split-adjusted, the ex-date unchanged", async () => {
    const response = await read(`/api/v1/data/${SERIES}`, {
      from: '2020-08-28T18:00:00Z',
      to: '2020-08-31T13:30:00Z',
      adjustment: 'split',
    });
    const body = response.body as Page;
    expect(body.adjustment).toBe('split');
    expect(body.items.map((item) => [item.ts, item.price, item.volume, item.adjustment_factor])).toEqual([
      ['2020-08-28T18:00:00.000Z', '124.8075', 4 * (1000 + 63 + 2), '0.25'],
      ['2020-08-31T13:30:00.000Z', '120.30', 1003, '1'],
    ]);
  });

  it('applies no action whose ex-date starts after adjustment_asof', async () => {
    const query = { from: '2020-08-28T18:00:00Z', to: '2020-08-28T18:00:00Z', adjustment: 'all' };
    const before = (await read(`/api/v1/data/${SERIES}`, { ...query, adjustment_asof: '2020-08-30' })).body as Page;
    expect(before.items[0]).toMatchObject({ price: '499.23', adjustment_factor: '1' });
    expect(before.adjustment_asof).toBe('2020-08-30T23:59:59.999Z');
    const on = (await read(`/api/v1/data/${SERIES}`, { ...query, adjustment_asof: '2020-08-31' })).body as Page;
    expect(on.items[0]).toMatchObject({ price: '124.8075', adjustment_factor: '0.25' });
  });

  it('divides a dividend by the close before its ex-date even when that bar is outside the range', async () => {
    // The reference bar (2020-08-26 18:00Z) is outside [13:30, 14:00] of that day.
    const page = (
      await read(`/api/v1/data/${SERIES}`, {
        from: '2020-08-26T13:30:00Z',
        to: '2020-08-26T14:00:00Z',
        adjustment: 'dividend',
      })
    ).body as Page;
    const reference = BARS.filter((bar) => bar.ts.toISOString().startsWith('2020-08-26')).at(-1)?.price ?? '';
    const factor = new Decimal(1).minus(new Decimal('0.82').dividedBy(reference)).toSignificantDigits(20);
    expect(page.items.map((item) => item.adjustment_factor)).toEqual([factor.toFixed(), factor.toFixed()]);
    expect(page.items[0]?.price).toBe(new Decimal(BARS[0]?.price ?? '').times(factor).toDecimalPlaces(10).toFixed());
  });

  it('serves daily bars equal to the aggregation of the adjusted minute bars, from the rollups', async () => {
    const minutes = await walk({ from: '2020-08-26', to: '2020-09-01', adjustment: 'all', limit: 7 });
    const days = (
      await read(`/api/v1/data/${SERIES}`, { from: '2020-08-26', to: '2020-09-01', adjustment: 'all', timeframe: '1d' })
    ).body as Page;
    expect(days.items).toHaveLength(DAYS.length);
    for (const [index, day] of DAYS.entries()) {
      const ofDay = minutes.filter((item) => item.ts.startsWith(day));
      const highest = ofDay.reduce((top, item) => Decimal.max(top, item.high ?? '0'), new Decimal(0));
      const lowest = ofDay.reduce((bottom, item) => Decimal.min(bottom, item.low ?? '0'), new Decimal(Infinity));
      expect(days.items[index]).toMatchObject({
        price: ofDay.at(-1)?.price,
        open: ofDay[0]?.open,
        volume: ofDay.reduce((sum, item) => sum + (item.volume ?? 0), 0),
        bar_count: ofDay.length,
        adjustment_factor: ofDay[0]?.adjustment_factor,
      });
      expect(new Decimal(days.items[index]?.high ?? '').equals(highest)).toBe(true);
      expect(new Decimal(days.items[index]?.low ?? '').equals(lowest)).toBe(true);
    }
  });

  it('gives a month that holds an ex-date no single factor, its days their own', async () => {
    const month = (
      await read(`/api/v1/data/${SERIES}`, {
        from: '2020-08-01',
        to: '2020-08-31',
        adjustment: 'split',
        timeframe: '1mo',
      })
    ).body as Page;
    expect(month.items).toHaveLength(1);
    expect(month.items[0]).toMatchObject({ adjustment_factor: null, bar_count: 40 });
  });

  it('binds its page tokens to the adjustment, and fixes "now" for the pages after the first', async () => {
    const first = (
      await read(`/api/v1/data/${SERIES}`, { from: '2020-08-26', to: '2020-09-01', adjustment: 'all', limit: 5 })
    ).body as Page;
    const token = first.next_page_token ?? '';
    const other = await read(`/api/v1/data/${SERIES}`, {
      from: '2020-08-26',
      to: '2020-09-01',
      adjustment: 'split',
      limit: 5,
      page_token: token,
    });
    expect(other.status).toBe(400);
    const raw = await read(`/api/v1/data/${SERIES}`, {
      from: '2020-08-26',
      to: '2020-09-01',
      limit: 5,
      page_token: token,
    });
    expect(raw.status).toBe(400);
    const second = (
      await read(`/api/v1/data/${SERIES}`, {
        from: '2020-08-26',
        to: '2020-09-01',
        adjustment: 'all',
        limit: 5,
        page_token: token,
      })
    ).body as Page;
    expect(second.adjustment_asof).toBe(first.adjustment_asof);
    expect(second.items[0]?.ts).toBe(BARS[5]?.ts.toISOString());
  });

  it('refuses an unknown adjustment, a bad adjustment_asof, and an as-of without an adjustment', async () => {
    const queries: Array<Record<string, string>> = [
      { adjustment: 'splits' },
      { adjustment: 'all', adjustment_asof: '2020-13-01' },
      { adjustment_asof: '2020-08-01' },
    ];
    for (const query of queries) {
      const response = await read(`/api/v1/data/${SERIES}`, query);
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
  });

  it('lists the actions of an asset by ex-date, every source, and 404 for an unknown asset', async () => {
    const listed = await read(`/api/v1/assets/${SERIES}/actions`, { from: '2020-08-01', to: '2020-08-31' });
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({
      id: SERIES,
      items: [
        {
          ex_date: '2020-08-27',
          type: 'dividend',
          amount: '0.82',
          currency: 'USD',
          source_id: 'yahoo',
          known_at: '2020-07-30T00:00:00.000Z',
        },
        {
          ex_date: '2020-08-31',
          type: 'split',
          numerator: 4,
          denominator: 1,
          source_id: 'alphavantage',
          known_at: '2020-07-30T00:00:00.000Z',
        },
        {
          ex_date: '2020-08-31',
          type: 'split',
          numerator: 4,
          denominator: 1,
          source_id: 'yahoo',
          known_at: '2020-07-30T00:00:00.000Z',
        },
      ],
    });
    expect(((await read(`/api/v1/assets/${SERIES}/actions`, { to: '2020-08-30' })).body as Page).items).toHaveLength(1);
    expect((await read('/api/v1/assets/NOPE/actions', {})).status).toBe(404);
    expect((await read(`/api/v1/assets/${SERIES}/actions`, { from: 'yesterday' })).status).toBe(400);
  });
});
