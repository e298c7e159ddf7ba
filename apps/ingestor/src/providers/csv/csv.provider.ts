import { Inject, Injectable } from '@nestjs/common';
import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { isPlainDecimal, parseIsoInstant } from '@market/domain';
import type { BarInterval, FetchRequest, PriceProvider, ProviderBar } from '../price-provider.interface';
import { providerSettings } from '../provider-settings';
import { ProviderError, ProviderPayloadError, type ProviderErrorScope, assertFetchable } from '../provider-errors';

const HEADERS = ['ts,price,volume', 'ts,price'];
const WHOLE_NUMBER = /^-?\d+$/;
/** A quoted `"12,5"`: a price written with a decimal comma. */
const DECIMAL_COMMA = /^-?\d+,\d+$/;

/** A line of an imported file that is not `ts,price[,volume]`; names the line and the problem. */
export class CsvLineError extends ProviderPayloadError {
  override readonly name = 'CsvLineError';

  constructor(
    scope: ProviderErrorScope,
    readonly line: number,
    readonly reason: string,
  ) {
    super(scope, `line ${line}: ${reason}`);
  }
}

/**
 * Streams the bars of a `ts,price,volume` file (header required; `volume` optional as a
 * column and as a value). `ts` is ISO-8601, no offset meaning UTC; `price` a plain decimal
 * (kept digit for digit, becoming the close; open/high/low are null); `volume` a whole
 * number. The first malformed line stops the stream with a CsvLineError naming it: nothing
 * is skipped silently (blank lines are not data and are passed over). Whether a well-formed
 * value is acceptable (a price > 0, no duplicate ts) is the validator's call.
 */
export async function* parseCsvBars(input: Readable, source: string): AsyncGenerator<ProviderBar> {
  const scope: ProviderErrorScope = { providerId: 'csv', symbol: source };
  const parser = input.pipe(
    parse({ bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, info: true }),
  );
  // A read error (no such file) does not travel through pipe(): hand it to the parser.
  input.once('error', (error) => parser.destroy(error));
  let columns: number | null = null;
  try {
    for await (const entry of parser as AsyncIterable<unknown>) {
      const { record, line } = csvEntry(entry);
      if (columns === null) {
        columns = headerColumns(record, line, scope);
        continue;
      }
      yield csvBar(record, line, columns, scope);
    }
  } catch (error) {
    throw asCsvError(error, scope);
  } finally {
    // Also when the consumer stops early: release the file.
    input.destroy();
  }
  if (columns === null) throw new CsvLineError(scope, 1, `the file is empty: expected the header "${HEADERS[0]}"`);
}

/** parseCsvBars over a file. */
export function parseCsvFile(path: string): AsyncGenerator<ProviderBar> {
  return parseCsvBars(createReadStream(path), path);
}

function csvEntry(entry: unknown): { record: string[]; line: number } {
  const record: unknown = typeof entry === 'object' && entry !== null ? Reflect.get(entry, 'record') : undefined;
  const info: unknown = typeof entry === 'object' && entry !== null ? Reflect.get(entry, 'info') : undefined;
  const line: unknown = typeof info === 'object' && info !== null ? Reflect.get(info, 'lines') : undefined;
  if (!Array.isArray(record) || typeof line !== 'number') throw new TypeError('csv-parse yielded an unexpected entry');
  return { record: record.map(String), line };
}

function headerColumns(record: string[], line: number, scope: ProviderErrorScope): number {
  const header = record.map((cell) => cell.toLowerCase()).join(',');
  if (!HEADERS.includes(header)) {
    throw new CsvLineError(scope, line, `the header must be "${HEADERS.join('" or "')}", got "${record.join(',')}"`);
  }
  return record.length;
}

function csvBar(record: string[], line: number, columns: number, scope: ProviderErrorScope): ProviderBar {
  const fail = (reason: string): never => {
    throw new CsvLineError(scope, line, reason);
  };
  if (record.length !== columns) {
    const [, whole = '', fraction = ''] = record;
    const hint =
      /^\d+$/.test(whole) && /^\d+$/.test(fraction)
        ? ` ("${whole},${fraction}": a decimal comma? write ${whole}.${fraction})`
        : '';
    fail(`expected ${columns} fields (${HEADERS[columns === 3 ? 0 : 1]}), got ${record.length}${hint}`);
  }
  const [tsText = '', price = '', volume = ''] = record;
  const ts = parseIsoInstant(tsText);
  if (!ts.ok) return fail(`ts "${tsText}" ${ts.why}`);
  if (price === '') fail('price is empty');
  if (DECIMAL_COMMA.test(price)) fail(`price "${price}" has a decimal comma: write ${price.replace(',', '.')}`);
  if (!isPlainDecimal(price)) fail(`price "${price}" is not a plain decimal number (like 189.10)`);
  if (volume !== '' && !WHOLE_NUMBER.test(volume)) fail(`volume "${volume}" is not a whole number`);
  // `…,12,05` is an unquoted decimal comma that happens to fit the three columns (price 12,
  // volume 5): nobody writes a count with a leading zero, so it is refused, not guessed.
  if (/^-?0\d/.test(volume)) {
    fail(
      `volume "${volume}" has a leading zero: is "${price},${volume}" a price with a decimal comma? write ${price}.${volume}`,
    );
  }
  return { ts: ts.instant, open: null, high: null, low: null, close: price, volume: volume === '' ? null : volume };
}

function asCsvError(error: unknown, scope: ProviderErrorScope): Error {
  if (error instanceof ProviderError) return error;
  const field = (key: string): unknown =>
    typeof error === 'object' && error !== null ? (Reflect.get(error, key) as unknown) : undefined;
  const message = field('message');
  const code = field('code');
  const line = field('lines');
  const reason = typeof message === 'string' ? message : String(error);
  // csv-parse's own errors (an unclosed quote) carry the line; file errors carry an errno code.
  if (typeof code === 'string' && code.startsWith('CSV_') && typeof line === 'number') {
    return new CsvLineError(scope, line, reason);
  }
  return new ProviderError(scope, `cannot read the file: ${reason}`, { cause: error });
}

export interface CsvProviderOptions {
  /** Relative symbols (file names) resolve against it; the working directory by default. */
  readonly directory?: string;
}

/**
 * Files as a provider: the symbol is a file path, the window selects the bars. The file's
 * own spacing is what it is, so `interval` is not checked against it.
 */
@Injectable()
export class CsvProvider implements PriceProvider {
  readonly id = 'csv';
  readonly name = 'CSV file import';
  readonly url = 'file:';
  readonly intervals: readonly BarInterval[] = ['1m', '5m', '15m', '1h', '1d'];
  /** Local files: reported for completeness, not enforced. */
  readonly rateLimit = { requestsPerSecond: 1000, burst: 1000 };

  constructor(@Inject(providerSettings('csv')) private readonly options: CsvProviderOptions = {}) {}

  async fetchBars(request: FetchRequest, signal?: AbortSignal): Promise<ProviderBar[]> {
    assertFetchable(this, request);
    const path = resolve(this.options.directory ?? '.', request.symbol);
    const bars: ProviderBar[] = [];
    for await (const bar of parseCsvFile(path)) {
      signal?.throwIfAborted();
      if (bar.ts >= request.from && bar.ts < request.to) bars.push(bar);
    }
    return bars.sort((a, b) => a.ts.getTime() - b.ts.getTime());
  }
}
