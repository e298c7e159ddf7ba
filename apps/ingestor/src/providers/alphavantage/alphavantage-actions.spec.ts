import { fixture } from '../../../../../test/support/fake-price-server';
import { ProviderPayloadError } from '../provider-errors';
import { parseAlphaVantageDividends, parseAlphaVantageSplits } from './alphavantage-actions';

const SCOPE = { providerId: 'alphavantage', symbol: 'AAPL' };
const json = (name: string): unknown => JSON.parse(fixture('alphavantage', name));

describe('Alpha Vantage SPLITS and DIVIDENDS', () => {
  it("reads AAPL's splits, factors as whole terms", () => {
    expect(parseAlphaVantageSplits(json('aapl-splits.json'), SCOPE)).toEqual([
      { type: 'split', exDate: '2020-08-31', numerator: 4, denominator: 1 },
      { type: 'split', exDate: '2014-06-09', numerator: 7, denominator: 1 },
      { type: 'split', exDate: '2005-02-28', numerator: 2, denominator: 1 },
    ]);
  });

  it('reads a 1-for-8 reverse split and a 3-for-2 split from their decimal factors', () => {
    expect(parseAlphaVantageSplits(json('reverse-and-fractional-splits.json'), SCOPE)).toEqual([
      { type: 'split', exDate: '2021-08-02', numerator: 1, denominator: 8 },
      { type: 'split', exDate: '2000-05-08', numerator: 3, denominator: 1 },
      { type: 'split', exDate: '1997-05-12', numerator: 3, denominator: 2 },
    ]);
  });

  it('reads dividends, known from their declaration date where Alpha Vantage gives one', () => {
    expect(parseAlphaVantageDividends(json('aapl-dividends.json'), SCOPE)).toEqual([
      {
        type: 'dividend',
        exDate: '2020-08-07',
        amount: '0.82',
        currency: 'USD',
        knownAt: new Date('2020-07-30T00:00:00Z'),
      },
      {
        type: 'dividend',
        exDate: '2020-05-08',
        amount: '0.82',
        currency: 'USD',
        knownAt: new Date('2020-04-30T00:00:00Z'),
      },
      { type: 'dividend', exDate: '1995-11-21', amount: '0.12', currency: 'USD' },
    ]);
  });

  it('refuses a payload that is not the documented shape, and a bad factor', () => {
    expect(() => parseAlphaVantageSplits({ symbol: 'X' }, SCOPE)).toThrow(ProviderPayloadError);
    expect(() =>
      parseAlphaVantageSplits({ data: [{ effective_date: '2020-01-02', split_factor: '-2' }] }, SCOPE),
    ).toThrow(ProviderPayloadError);
    expect(() =>
      parseAlphaVantageDividends({ data: [{ ex_dividend_date: '2020-02-30', amount: '1' }] }, SCOPE),
    ).toThrow(ProviderPayloadError);
  });
});
