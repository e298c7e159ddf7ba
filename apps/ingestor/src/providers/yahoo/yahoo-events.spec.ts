import { PriceAdjustment, exDateStartMs, parseTimeZone } from '@market/domain';
import { fixture } from '../../../../../test/support/fake-price-server';
import { ProviderPayloadError } from '../provider-errors';
import { parseYahooChart } from './yahoo.provider';
import { parseYahooEvents } from './yahoo-events';

const SCOPE = { providerId: 'yahoo', symbol: 'AAPL' };
const NEW_YORK = parseTimeZone('America/New_York');
const NOW = Date.parse('2026-12-07T00:00:00Z');

describe('parseYahooEvents', () => {
  it("reads AAPL's 4-for-1 of 2020-08-31 and restores its 2020-08-07 dividend to the 0.82 paid", () => {
    expect(parseYahooEvents(JSON.parse(fixture('yahoo', 'aapl-1d-events.json')), SCOPE)).toEqual([
      { type: 'dividend', exDate: '2020-08-07', amount: '0.82', currency: 'USD' },
      { type: 'split', exDate: '2020-08-31', numerator: 4, denominator: 1 },
    ]);
  });

  it("reads NVDA's 10-for-1 of 2024-06-10 and the post-split dividend of the next day as reported", () => {
    expect(parseYahooEvents(JSON.parse(fixture('yahoo', 'nvda-1d-events.json')), SCOPE)).toEqual([
      { type: 'split', exDate: '2024-06-10', numerator: 10, denominator: 1 },
      { type: 'dividend', exDate: '2024-06-11', amount: '0.01', currency: 'USD' },
    ]);
  });

  it('reads a response without events as no action', () => {
    expect(parseYahooEvents(JSON.parse(fixture('yahoo', 'bzf-1d.json')), SCOPE)).toEqual([]);
  });

  it('refuses a chart error', () => {
    expect(() => parseYahooEvents(JSON.parse(fixture('yahoo', 'not-found.json')), SCOPE)).toThrow(ProviderPayloadError);
  });

  it.each([
    ['aapl-1d-events.json', '2020-08-28', '499.23', '124.8075', 187630000n],
    ['nvda-1d-events.json', '2024-06-07', '1208.88', '120.888', 412385800n],
  ])('adjusts the bars of %s: the close of %s, %s, reads %s split-adjusted', (file, day, raw, adjusted, volume) => {
    const body: unknown = JSON.parse(fixture('yahoo', file));
    const bars = parseYahooChart(body, '1d', SCOPE);
    const actions = parseYahooEvents(body, SCOPE).map((action) =>
      action.type === 'split' ? action : { ...action, referenceClose: null },
    );
    const adjustment = PriceAdjustment.of(actions, 'split', NOW, NEW_YORK);
    const bar = bars.find((candidate) => candidate.ts.toISOString().startsWith(day));
    expect(bar?.close).toBe(raw);
    // Daily bars are stamped 00:00 UTC of their date: their session is the New York day of that date.
    const session = exDateStartMs(day, NEW_YORK);
    const served = adjustment.adjustBar(session, {
      open: null,
      high: null,
      low: null,
      close: bar?.close ?? '',
      volume: Number(bar?.volume),
    });
    expect(served).toMatchObject({ close: adjusted, volume });
  });
});
