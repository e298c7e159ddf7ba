import type { Adjustment, SeriesKind, Timeframe } from './api-types';
import { parseTimeframe } from './api-types';

/** What the address bar's fragment holds, so a view can be bookmarked and shared. */
export interface ViewAddress {
  readonly kind?: SeriesKind;
  readonly id?: string;
  readonly timeframe?: Timeframe;
  readonly adjustment?: Adjustment;
  readonly tz?: string;
  readonly from?: string;
  readonly to?: string;
}

const ADJUSTMENTS: readonly string[] = ['raw', 'split', 'dividend', 'all'];

/** Reads `#kind=asset&id=AAPL&tf=1h&adj=all&tz=UTC&from=…&to=…`; unknown or bad values are left out. */
export function parseViewAddress(hash: string): ViewAddress {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const text = (name: string): string | undefined => {
    const value = params.get(name)?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const kind = text('kind');
  const adjustment = text('adj');
  return {
    kind: kind === 'asset' || kind === 'commodity' ? kind : undefined,
    id: text('id'),
    timeframe: parseTimeframe(text('tf')) ?? undefined,
    adjustment: adjustment !== undefined && ADJUSTMENTS.includes(adjustment) ? (adjustment as Adjustment) : undefined,
    tz: text('tz'),
    from: text('from'),
    to: text('to'),
  };
}

/** The fragment for `address` (without the `#`). */
export function formatViewAddress(address: ViewAddress): string {
  const params = new URLSearchParams();
  const entries: Array<[string, string | undefined]> = [
    ['kind', address.kind],
    ['id', address.id],
    ['tf', address.timeframe],
    ['adj', address.adjustment],
    ['tz', address.tz],
    ['from', address.from],
    ['to', address.to],
  ];
  for (const [name, value] of entries) if (value !== undefined) params.set(name, value);
  return params.toString();
}
