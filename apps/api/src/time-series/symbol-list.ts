import type { SeriesKind } from '@market/cassandra';
import { InvalidQueryError } from '../errors/api-errors';

/** At most this many symbols in one multi-series request (SPEC §10). */
export const MAX_SYMBOLS = 100;

/** One symbol of a `symbols=` list as the client wrote it, and the series kind it pins, if any. */
export interface RequestedSymbol {
  /** As written (the key of its bars in the response). */
  readonly symbol: string;
  /** The id without its prefix. */
  readonly id: string;
  /** `asset:` or `commodity:` pins the kind; null means assets first, then commodities. */
  readonly kind: SeriesKind | null;
}

const PREFIXES: Readonly<Record<string, SeriesKind>> = { asset: 'asset', commodity: 'commodity' };

/**
 * Parses `symbols=AAPL,MSFT,commodity:brent`: comma-separated, 1..MAX_SYMBOLS, none empty,
 * none twice, an optional `asset:` or `commodity:` prefix. Any other `word:` prefix is refused
 * rather than looked up as an id, so a typo (`comodity:brent`) says what is wrong.
 */
export function parseSymbolList(text: string): RequestedSymbol[] {
  const symbols = text.split(',').map((symbol) => symbol.trim());
  if (symbols.every((symbol) => symbol === '')) {
    throw new InvalidQueryError('symbols', 'symbols is empty: give 1 to 100 comma-separated ids, e.g. AAPL,MSFT,brent');
  }
  if (symbols.includes('')) {
    throw new InvalidQueryError(
      'symbols',
      `symbols holds an empty entry ("${text.slice(0, 64)}"): remove the extra comma`,
    );
  }
  if (symbols.length > MAX_SYMBOLS) {
    throw new InvalidQueryError('symbols', `symbols lists ${symbols.length} ids; at most ${MAX_SYMBOLS} per request`);
  }
  const repeated = symbols.filter((symbol, index) => symbols.indexOf(symbol) !== index);
  if (repeated.length > 0) {
    throw new InvalidQueryError(
      'symbols',
      `symbols lists ${[...new Set(repeated)].map((symbol) => `"${symbol.slice(0, 64)}"`).join(', ')} more than once`,
    );
  }
  return symbols.map(parseSymbol);
}

function parseSymbol(symbol: string): RequestedSymbol {
  const match = /^([A-Za-z_]+):(.*)$/.exec(symbol);
  if (match === null) return { symbol, id: symbol, kind: null };
  const [, prefix = '', id = ''] = match;
  const kind = PREFIXES[prefix];
  if (kind === undefined) {
    throw new InvalidQueryError(
      'symbols',
      `symbol "${symbol.slice(0, 64)}" has the prefix "${prefix.slice(0, 32)}:"; only asset: and commodity: are known`,
    );
  }
  if (id === '') throw new InvalidQueryError('symbols', `symbol "${symbol.slice(0, 64)}" names no id after its prefix`);
  return { symbol, id, kind };
}
