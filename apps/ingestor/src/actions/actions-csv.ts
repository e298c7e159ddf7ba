import { parse } from 'csv-parse/sync';
import {
  type CorporateAction,
  IMPORTED_ACTIONS_SOURCE,
  corporateActionProblem,
  isExDate,
  parseIsoInstant,
} from '@market/domain';

/** The columns of an actions file; `known_at` is optional. */
export const ACTIONS_CSV_HEADER = 'ex_date,type,numerator,denominator,amount,currency';
const HEADERS = [ACTIONS_CSV_HEADER, `${ACTIONS_CSV_HEADER},known_at`];

/** One problem of an actions file, by its line number (1 is the header). */
export interface ActionsCsvError {
  readonly line: number;
  readonly reason: string;
}

export type ActionsCsv =
  | { readonly ok: true; readonly actions: CorporateAction[] }
  | { readonly ok: false; readonly errors: ActionsCsvError[] };

/**
 * Reads a whole actions file strictly: every line is checked and every problem reported by
 * line, and a file with any problem yields no action at all (the import writes nothing).
 * A split line leaves amount and currency empty; a dividend line leaves the split terms
 * empty. Two lines for the same ex-date and type are an error.
 */
export function parseActionsCsv(text: string): ActionsCsv {
  let rows: Array<{ record: string[]; info: { lines: number } }>;
  try {
    // With `info`, each record comes with where it was read (csv-parse's types do not say so).
    rows = parse(text, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
    }) as unknown as typeof rows;
  } catch (error) {
    const line: unknown = typeof error === 'object' && error !== null ? Reflect.get(error, 'lines') : undefined;
    return { ok: false, errors: [{ line: typeof line === 'number' ? line : 1, reason: String(error) }] };
  }
  const [header, ...lines] = rows;
  const headerText = header?.record.map((cell) => cell.toLowerCase()).join(',');
  if (header === undefined || headerText === undefined || !HEADERS.includes(headerText)) {
    return { ok: false, errors: [{ line: 1, reason: `the header must be "${HEADERS.join('" or "')}"` }] };
  }
  const columns = header.record.length;
  const errors: ActionsCsvError[] = [];
  const actions: CorporateAction[] = [];
  const seen = new Map<string, number>();
  for (const { record, info } of lines) {
    const line = info.lines;
    const parsed = actionOf(record, columns);
    if (typeof parsed === 'string') {
      errors.push({ line, reason: parsed });
      continue;
    }
    const key = `${parsed.exDate} ${parsed.type}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      errors.push({ line, reason: `a second ${parsed.type} on ${parsed.exDate} (the first is on line ${earlier})` });
      continue;
    }
    seen.set(key, line);
    actions.push(parsed);
  }
  if (lines.length === 0) errors.push({ line: 2, reason: 'the file holds no action' });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, actions };
}

/** The action of one line, or why it is none. */
function actionOf(record: readonly string[], columns: number): CorporateAction | string {
  if (record.length !== columns) return `expected ${columns} cells, got ${record.length}`;
  const [exDate = '', type = '', numerator = '', denominator = '', amount = '', currency = '', knownAtText] = record;
  if (!isExDate(exDate)) return `ex_date "${exDate}" is not a date YYYY-MM-DD`;
  let knownAt: Date | undefined;
  if (knownAtText !== undefined && knownAtText !== '') {
    const parsed = parseIsoInstant(knownAtText);
    if (!parsed.ok) return `known_at ${parsed.why} (got "${knownAtText}")`;
    knownAt = parsed.instant;
  }
  const common = { exDate, sourceId: IMPORTED_ACTIONS_SOURCE, ...(knownAt === undefined ? {} : { knownAt }) };
  let action: CorporateAction;
  if (type === 'split') {
    if (amount !== '' || currency !== '') return 'a split has no amount or currency';
    if (!/^\d+$/.test(numerator) || !/^\d+$/.test(denominator)) {
      return `split terms "${numerator}" and "${denominator}" must be whole numbers`;
    }
    action = { type, numerator: Number(numerator), denominator: Number(denominator), ...common };
  } else if (type === 'dividend') {
    if (numerator !== '' || denominator !== '') return 'a dividend has no numerator or denominator';
    action = { type, amount, currency, ...common };
  } else {
    return `type "${type}" is not split or dividend`;
  }
  return corporateActionProblem(action) ?? action;
}
