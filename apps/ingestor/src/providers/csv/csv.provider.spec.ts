import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { ProviderBar } from '../price-provider.interface';
import { ProviderError } from '../provider-errors';
import { CsvLineError, CsvProvider, parseCsvBars, parseCsvFile } from './csv.provider';

const FIXTURES = join(__dirname, '..', '..', '..', '..', '..', 'test', 'fixtures', 'csv');
const fixturePath = (name: string) => join(FIXTURES, name);

async function readAll(bars: AsyncIterable<ProviderBar>): Promise<ProviderBar[]> {
  const all: ProviderBar[] = [];
  for await (const bar of bars) all.push(bar);
  return all;
}

async function failure(name: string): Promise<CsvLineError> {
  try {
    await readAll(parseCsvFile(fixturePath(name)));
  } catch (error) {
    if (error instanceof CsvLineError) return error;
    throw error;
  }
  throw new Error(`${name} was read without an error`);
}

const closeOnly = (ts: string, close: string, volume: string | null): ProviderBar => ({
  ts: new Date(ts),
  open: null,
  high: null,
  low: null,
  close,
  volume,
});

describe('CSV import', () => {
  it('reads ts,price,volume lines into close-only bars, prices digit for digit', async () => {
    const bars = await readAll(parseCsvFile(fixturePath('prices.csv')));
    expect(bars).toEqual([
      closeOnly('2025-08-01T13:30:00Z', '210.87', '2167314'),
      closeOnly('2025-08-01T13:31:00Z', '210.9', null),
      // No offset means UTC; an offset is applied.
      closeOnly('2025-08-01T13:32:00Z', '210.70', '571290'),
      closeOnly('2025-08-01T13:33:00Z', '210.2000', '0'),
      // Well-formed but unacceptable values are the validator's to reject, not the parser's.
      closeOnly('2025-08-01T13:34:00.250Z', '-1.5', '12'),
      closeOnly('2025-08-02T00:00:00Z', '211', '100'),
    ]);
  });

  it('accepts a BOM, CRLF line ends and a file without a volume column', async () => {
    const bars = await readAll(parseCsvFile(fixturePath('bom-crlf-no-volume.csv')));
    expect(bars).toEqual([
      closeOnly('2025-08-01T13:30:00Z', '67.91', null),
      closeOnly('2025-08-01T13:31:00Z', '67.95', null),
    ]);
  });

  it('reads a header-only file as no bars', async () => {
    await expect(readAll(parseCsvFile(fixturePath('header-only.csv')))).resolves.toEqual([]);
  });

  it.each([
    ['bad-price.csv', 4, 'price "abc" is not a plain decimal number (like 189.10)'],
    ['exponent-price.csv', 2, 'price "1e-7" is not a plain decimal number (like 189.10)'],
    ['missing-price.csv', 2, 'price is empty'],
    ['impossible-date.csv', 3, 'ts "2025-02-30T13:31:00Z" is not a real calendar date and time'],
    [
      'us-date.csv',
      2,
      'ts "08/01/2025 13:30" must be an ISO-8601 date (2025-09-30) or date-time (2025-09-30T14:30:00Z)',
    ],
    ['microseconds.csv', 2, 'ts "2025-08-01T13:30:00.123456Z" has a fraction finer than milliseconds'],
    ['fractional-volume.csv', 2, 'volume "100.5" is not a whole number'],
    ['extra-field.csv', 3, 'expected 3 fields (ts,price,volume), got 4'],
    ['wrong-header.csv', 1, 'the header must be "ts,price,volume" or "ts,price", got "timestamp,close,volume"'],
    ['empty.csv', 1, 'the file is empty: expected the header "ts,price,volume"'],
    // Unquoted decimal commas: refused whether or not the field count happens to fit.
    ['decimal-comma-volume.csv', 3, 'volume "05" has a leading zero: is "12,05" a price with a decimal comma?'],
    ['decimal-comma-two-columns.csv', 2, 'expected 2 fields (ts,price), got 3 ("12,5": a decimal comma? write 12.5)'],
    ['decimal-comma-extra-field.csv', 2, 'expected 3 fields (ts,price,volume), got 4 ("12,5": a decimal comma?'],
    ['decimal-comma-quoted.csv', 2, 'price "12,5" has a decimal comma: write 12.5'],
  ])('stops at the malformed line of %s, naming line %i and the problem', async (name, line, reason) => {
    const error = await failure(name);
    expect(error.line).toBe(line);
    expect(error.reason).toContain(reason);
    expect(error.message).toContain(`csv ${fixturePath(name)}: line ${line}: ${reason}`);
  });

  it('reports an unclosed quote with the line csv-parse found it on', async () => {
    const error = await failure('unclosed-quote.csv');
    expect(error.message).toMatch(/line \d+: Quote Not Closed/);
  });

  it('yields the good lines before a malformed one, so nothing is silently dropped or invented', async () => {
    const seen: ProviderBar[] = [];
    await expect(
      (async () => {
        for await (const bar of parseCsvFile(fixturePath('bad-price.csv'))) seen.push(bar);
      })(),
    ).rejects.toBeInstanceOf(CsvLineError);
    expect(seen.map((bar) => bar.close)).toEqual(['210.87', '210.9']);
  });

  it('reports a missing file as an error naming it', async () => {
    const missing = fixturePath('no-such-file.csv');
    const reading = readAll(parseCsvFile(missing));
    await expect(reading).rejects.toBeInstanceOf(ProviderError);
    await expect(reading).rejects.toThrow(`csv ${missing}: cannot read the file: ENOENT`);
  });

  it('streams from any Readable, counting lines across blank ones', async () => {
    const input = Readable.from(['ts,price\n2025-08-01T13:30:00Z,1.5\n\n\n', '2025-08-01T13:31:00Z,oops\n']);
    const reading = readAll(parseCsvBars(input, 'upload'));
    await expect(reading).rejects.toThrow('csv upload: line 5: price "oops" is not a plain decimal number');
  });

  it('serves a file as a provider: the symbol is the path, the window selects the bars', async () => {
    const provider = new CsvProvider({ directory: FIXTURES });
    const bars = await provider.fetchBars({
      symbol: 'prices.csv',
      from: new Date('2025-08-01T13:31:00Z'),
      to: new Date('2025-08-01T13:33:00Z'),
      interval: '1m',
    });
    expect(bars.map((bar) => bar.close)).toEqual(['210.9', '210.70']);
  });
});
