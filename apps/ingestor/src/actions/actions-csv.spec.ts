import { parseActionsCsv } from './actions-csv';

describe('parseActionsCsv', () => {
  it('reads splits and dividends, with an optional known_at', () => {
    const text = [
      'ex_date,type,numerator,denominator,amount,currency,known_at',
      '2020-08-31,split,4,1,,,2020-07-30',
      '2020-08-07,dividend,,,0.82,USD,',
      '2023-05-15,split,1,10,,,',
      '',
    ].join('\n');
    expect(parseActionsCsv(text)).toEqual({
      ok: true,
      actions: [
        {
          type: 'split',
          exDate: '2020-08-31',
          numerator: 4,
          denominator: 1,
          sourceId: 'csv',
          knownAt: new Date('2020-07-30T00:00:00Z'),
        },
        { type: 'dividend', exDate: '2020-08-07', amount: '0.82', currency: 'USD', sourceId: 'csv' },
        { type: 'split', exDate: '2023-05-15', numerator: 1, denominator: 10, sourceId: 'csv' },
      ],
    });
  });

  it('reports every bad line by its number and yields no action', () => {
    const text = [
      'ex_date,type,numerator,denominator,amount,currency',
      '2020-08-31,split,4,1,,',
      '2020-02-30,split,2,1,,',
      '2020-09-01,bonus,,,1,USD',
      '2020-09-02,dividend,,,-1,USD',
      '2020-09-03,split,1.5,1,,',
      '2020-08-31,split,2,1,,',
      '2020-09-04,dividend,,,1,usd',
      '2020-09-05,dividend,,,1',
    ].join('\n');
    expect(parseActionsCsv(text)).toEqual({
      ok: false,
      errors: [
        { line: 3, reason: 'ex_date "2020-02-30" is not a date YYYY-MM-DD' },
        { line: 4, reason: 'type "bonus" is not split or dividend' },
        { line: 5, reason: 'dividend amount "-1" is not a positive decimal' },
        { line: 6, reason: 'split terms "1.5" and "1" must be whole numbers' },
        { line: 7, reason: 'a second split on 2020-08-31 (the first is on line 2)' },
        { line: 8, reason: 'currency "usd" is not an ISO 4217 code' },
        { line: 9, reason: 'expected 6 cells, got 5' },
      ],
    });
  });

  it('refuses a file without the header, or without any action', () => {
    expect(parseActionsCsv('ts,price\n2020-01-01,1\n')).toMatchObject({ ok: false, errors: [{ line: 1 }] });
    expect(parseActionsCsv('')).toMatchObject({ ok: false, errors: [{ line: 1 }] });
    expect(parseActionsCsv('ex_date,type,numerator,denominator,amount,currency\n')).toMatchObject({
      ok: false,
      errors: [{ line: 2, reason: 'the file holds no action' }],
    });
  });
});
