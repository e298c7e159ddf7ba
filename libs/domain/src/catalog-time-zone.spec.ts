import { catalogTimeZone, withCatalogTimeZone } from './catalog-time-zone';

describe('catalog time zone', () => {
  it("keeps the entry's own IANA zone", () => {
    expect(catalogTimeZone({ timezone: 'Europe/London', source: 'yahoo' })).toBe('Europe/London');
  });

  it('fills entries without one by source: New York for US equities, UTC for Binance, FRED and the unknown', () => {
    for (const source of ['synthetic', 'yahoo', 'alphavantage', 'stooq']) {
      expect(catalogTimeZone({ source })).toBe('America/New_York');
    }
    expect(catalogTimeZone({ source: 'binance' })).toBe('UTC');
    expect(catalogTimeZone({ source: 'fred' })).toBe('UTC');
    expect(catalogTimeZone({ source: 'csv' })).toBe('UTC');
    expect(catalogTimeZone({})).toBe('UTC');
    expect(catalogTimeZone({ source: 'toString' })).toBe('UTC');
  });

  it('replaces a timezone that names no zone by the default rule', () => {
    expect(catalogTimeZone({ timezone: 'Mars/Olympus', source: 'stooq' })).toBe('America/New_York');
    expect(withCatalogTimeZone({ interval: '1m' })).toEqual({ interval: '1m', timezone: 'UTC' });
  });
});
