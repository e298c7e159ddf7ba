import type { RequestRecord } from './api-client';
import type { DownloadRecord } from './download';
import type { DrawnGap } from './gap-overlay';
import type { ReadableError } from './problem-message';

/** What the page shows and did, as `window.__console` hands it out (a frozen copy per read). */
export interface ConsoleState {
  /** The catalog was asked for and nothing is loading. */
  readonly ready: boolean;
  readonly busy: number;
  readonly series: { readonly kind: string; readonly id: string } | null;
  readonly params: {
    readonly timeframe: string;
    readonly adjustment: string;
    readonly tz: string;
    readonly from: string | null;
    readonly to: string | null;
  } | null;
  readonly candles: number;
  readonly pages: number;
  readonly hasOlder: boolean;
  readonly firstBar: string | null;
  readonly lastBar: string | null;
  readonly visibleRange: { readonly from: string | null; readonly to: string | null; readonly bars: number } | null;
  readonly gaps: readonly DrawnGap[];
  readonly coverageUnavailable: string | null;
  readonly requests: readonly RequestRecord[];
  readonly error: ReadableError | null;
  readonly credentialsAsked: boolean;
  readonly quote: { readonly ts: string; readonly price: string } | null;
  readonly lastDownload: DownloadRecord | null;
}

/** A deep copy that nobody can change, so reading the state never alters the page. */
export function frozenCopy(state: ConsoleState): ConsoleState {
  return deepFreeze(structuredClone(state));
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
