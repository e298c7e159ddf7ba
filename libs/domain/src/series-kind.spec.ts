import fc from 'fast-check';
import { SERIES_KINDS, isSeriesKind } from './series-kind';

describe('series kind', () => {
  it('knows assets and commodities', () => {
    expect(SERIES_KINDS).toEqual(['asset', 'commodity']);
    for (const kind of SERIES_KINDS) expect(isSeriesKind(kind)).toBe(true);
  });

  it('refuses any other text, including other spellings and inherited property names', () => {
    for (const text of ['Asset', 'assets', 'quote', '', 'toString', 'constructor'])
      expect(isSeriesKind(text)).toBe(false);
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(isSeriesKind(text)).toBe(text === 'asset' || text === 'commodity');
      }),
    );
  });
});
