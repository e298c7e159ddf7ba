import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { csvHeader, csvRecords } from './csv-records';
import { exportColumns } from './export-columns';

describe('csvRecords', () => {
  const columns = exportColumns(['ts', 'price', 'source_id', 'volume', 'complete']);

  it('writes RFC 4180 records: CRLF, a header, null as an empty field, decimals as written', () => {
    const text =
      csvHeader(columns) +
      csvRecords(columns, [
        { ts: '2025-08-01T13:30:00.000Z', price: '189.10', source_id: null, volume: 12, complete: true },
      ]);
    expect(text).toBe('ts,price,source_id,volume,complete\r\n2025-08-01T13:30:00.000Z,189.10,,12,true\r\n');
  });

  it('quotes any field with a comma, a quote, CR or LF, so a CSV parser reads back the same text', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' }), { minLength: 1, maxLength: 5 }), (texts) => {
        const textColumns = exportColumns(texts.map((_, index) => `c${index}`));
        const row = Object.fromEntries(texts.map((text, index) => [`c${index}`, text]));
        const parsed = parse<Record<string, string>>(csvHeader(textColumns) + csvRecords(textColumns, [row]), {
          columns: true,
          relaxQuotes: false,
        });
        expect(parsed).toEqual([row]);
      }),
      { numRuns: 300 },
    );
  });
});
