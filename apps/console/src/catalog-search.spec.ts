import type { CatalogEntry } from './api-types';
import { searchCatalog } from './catalog-search';

const entry = (kind: CatalogEntry['kind'], id: string, name: string): CatalogEntry => ({
  kind,
  id,
  symbol: id.toUpperCase(),
  name,
  meta: {},
});

describe('searchCatalog', () => {
  const catalog = [
    entry('asset', 'MSFT', 'Microsoft Corporation'),
    entry('asset', 'AAPL', 'Apple Inc.'),
    entry('commodity', 'brent', 'Brent crude oil'),
    entry('asset', 'APLE', 'Apple Hospitality REIT'),
  ];

  it('finds assets and commodities by id, symbol or name, the exact id first', () => {
    expect(searchCatalog(catalog, 'aapl').map((item) => item.id)).toEqual(['AAPL']);
    expect(searchCatalog(catalog, 'apple').map((item) => item.id)).toEqual(['AAPL', 'APLE']);
    expect(searchCatalog(catalog, 'crude').map((item) => [item.kind, item.id])).toEqual([['commodity', 'brent']]);
    expect(searchCatalog(catalog, 'apple reit').map((item) => item.id)).toEqual(['APLE']);
  });

  it('lists everything (up to the cap) for an empty query and nothing for no match', () => {
    expect(searchCatalog(catalog, '')).toHaveLength(4);
    expect(searchCatalog(catalog, 'zzz')).toEqual([]);
  });
});
