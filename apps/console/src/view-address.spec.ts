import { formatViewAddress, parseViewAddress } from './view-address';

describe('view address (the URL fragment)', () => {
  it('round-trips a view', () => {
    const address = {
      kind: 'asset',
      id: 'AAPL',
      timeframe: '1h',
      adjustment: 'all',
      tz: 'Europe/London',
      from: '2025-08-01',
      to: '2025-08-31',
    } as const;
    expect(parseViewAddress(`#${formatViewAddress(address)}`)).toEqual(address);
  });

  it('drops values the API would refuse instead of sending them', () => {
    expect(parseViewAddress('#kind=bond&id=X&tf=2h&adj=none')).toEqual({
      kind: undefined,
      id: 'X',
      timeframe: undefined,
      adjustment: undefined,
      tz: undefined,
      from: undefined,
      to: undefined,
    });
  });
});
