import { types } from 'cassandra-driver';
import type { ExecuteOptions } from '../cassandra.session';

/** Binding null writes a tombstone; an absent value is left unset instead. */
export function unsetIfAbsent<T>(value: T | null | undefined): T | typeof types.unset {
  return value === null || value === undefined ? types.unset : value;
}

/** Driver paging options: a page of `fetchSize` rows, continuing at `pageState` if given. */
export function pagingOptions(fetchSize: number, pageState: string | null | undefined): ExecuteOptions {
  return pageState === null || pageState === undefined ? { fetchSize } : { fetchSize, pageState };
}
