/**
 * Corporate actions as stored and applied (SPEC §11): splits and cash dividends of one
 * series, each on its ex-date. Pure values: the storage library and both apps share them.
 */

export const CORPORATE_ACTION_TYPES = ['split', 'dividend'] as const;
export type CorporateActionType = (typeof CORPORATE_ACTION_TYPES)[number];

/** A calendar date `YYYY-MM-DD` (an ex-date), in the series' exchange calendar. */
export type ExDate = string;

/** `numerator` new shares for every `denominator` old ones: AAPL 2020 is 4 for 1, a reverse split 1 for 10. */
export interface SplitTerms {
  readonly type: 'split';
  readonly numerator: number;
  readonly denominator: number;
}

/** A cash dividend of `amount` (exact decimal text) per share, in `currency`. */
export interface DividendTerms {
  readonly type: 'dividend';
  readonly amount: string;
  readonly currency: string;
}

/** Which action, on which ex-date, from which source: one stored row. */
export interface CorporateActionKey {
  readonly exDate: ExDate;
  readonly sourceId: string;
}

/** An action as a provider or a file reports it. */
export type CorporateAction = (SplitTerms | DividendTerms) &
  CorporateActionKey & {
    /** When the action became known (a declaration date), if the source says; else the first ingest. */
    readonly knownAt?: Date;
  };

/** An action as stored: when it became known and when its row was last written. */
export type StoredCorporateAction = (SplitTerms | DividendTerms) &
  CorporateActionKey & {
    readonly knownAt: Date | null;
    readonly recordedAt: Date | null;
  };

const EX_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date `YYYY-MM-DD` (2024-02-30 is not one). */
export function isExDate(text: string): boolean {
  const match = EX_DATE.exec(text);
  if (match === null) return false;
  const [, year, month, day] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** The largest split term we accept (an int column, and no real split comes near it). */
export const MAX_SPLIT_TERM = 1_000_000;

/** Why an action cannot be stored, or null when it can. */
export function corporateActionProblem(action: CorporateAction): string | null {
  if (!isExDate(action.exDate)) return `ex-date "${action.exDate}" is not a date YYYY-MM-DD`;
  if (action.sourceId === '') return 'source is empty';
  switch (action.type) {
    case 'split': {
      const terms = [action.numerator, action.denominator];
      if (!terms.every((term) => Number.isSafeInteger(term) && term >= 1 && term <= MAX_SPLIT_TERM)) {
        return `split terms ${action.numerator}:${action.denominator} are not whole numbers 1..${MAX_SPLIT_TERM}`;
      }
      if (action.numerator === action.denominator)
        return `split ${action.numerator}:${action.denominator} changes nothing`;
      return null;
    }
    case 'dividend':
      if (!/^\d{1,20}(\.\d{1,20})?$/.test(action.amount) || !/[1-9]/.test(action.amount)) {
        return `dividend amount "${action.amount}" is not a positive decimal`;
      }
      if (!/^[A-Z]{3}$/.test(action.currency)) return `currency "${action.currency}" is not an ISO 4217 code`;
      return null;
  }
}

/** The source id of actions imported from a file (`ingest import-actions`): an operator's correction. */
export const IMPORTED_ACTIONS_SOURCE = 'csv';

/**
 * One action per ex-date and type when several sources report it: an imported file's
 * first (an operator's correction), else the source first in name order, so every read
 * picks the same one. Ordered by ex-date.
 */
export function effectiveActions<T extends CorporateActionKey & { readonly type: CorporateActionType }>(
  actions: readonly T[],
): T[] {
  const chosen = new Map<string, T>();
  const rank = (action: T) => `${action.sourceId === IMPORTED_ACTIONS_SOURCE ? 0 : 1}${action.sourceId}`;
  for (const action of actions) {
    const key = `${action.exDate} ${action.type}`;
    const current = chosen.get(key);
    if (current === undefined || rank(action) < rank(current)) chosen.set(key, action);
  }
  return [...chosen.values()].sort((left, right) => left.exDate.localeCompare(right.exDate));
}
