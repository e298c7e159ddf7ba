import type { PricePoint } from './api-types';
import { pricePrecision, toChartBars } from './chart-data';
import { zoneOffsetMs } from './time-zones';

const point = (ts: string, price: string, extra: Partial<PricePoint> = {}): PricePoint => ({
  ts,
  price,
  open: '100.10',
  high: '101.00',
  low: '99.50',
  volume: 1200,
  ...extra,
});

describe('toChartBars', () => {
  it('labels bars on the chosen zone’s wall clock, DST included', () => {
    expect(zoneOffsetMs('America/New_York', Date.parse('2025-07-01T13:30:00Z'))).toBe(-4 * 3_600_000);
    expect(zoneOffsetMs('America/New_York', Date.parse('2025-12-01T14:30:00Z'))).toBe(-5 * 3_600_000);
    const [summer, winter] = toChartBars(
      [point('2025-07-01T13:30:00.000Z', '100.20'), point('2025-12-01T14:30:00.000Z', '99.90')],
      'America/New_York',
    );
    expect(summer?.time).toBe(Date.parse('2025-07-01T09:30:00Z') / 1000);
    expect(winter?.time).toBe(Date.parse('2025-12-01T09:30:00Z') / 1000);
    expect(winter).toMatchObject({ open: 100.1, close: 99.9, up: false, volume: 1200 });
  });

  it('draws a single-value bar flat at its price and keeps times strictly increasing', () => {
    const bars = toChartBars(
      [
        point('2025-11-02T05:30:00.000Z', '10', { open: null, high: null, low: null, volume: null }),
        point('2025-11-02T06:30:00.000Z', '11', { open: null, high: null, low: null, volume: null }),
      ],
      'America/New_York',
    );
    // 01:30 EDT and 01:30 EST: the same wall-clock minute, nudged a second apart.
    expect(bars.map((bar) => bar.time)).toEqual([1_762_047_000, 1_762_047_001]);
    expect(bars[0]).toMatchObject({ open: 10, high: 10, low: 10, close: 10, volume: 0 });
  });
});

describe('pricePrecision', () => {
  it('shows as many decimals as the prices carry, between 2 and 8', () => {
    expect(pricePrecision([point('2025-07-01T13:30:00.000Z', '189.10')])).toBe(2);
    expect(pricePrecision([point('2025-07-01T13:30:00.000Z', '0.000123450', { open: null })])).toBe(8);
    expect(
      pricePrecision([point('2025-07-01T13:30:00.000Z', '1.2345', { open: '1.2', high: '1.3', low: '1.1' })]),
    ).toBe(4);
  });
});
