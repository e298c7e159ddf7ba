/** Every kind of series, each stored in a table family of its own. */
export const SERIES_KINDS = ['asset', 'commodity'] as const;

/** Which family a series belongs to: an asset (equities, crypto) or a commodity. */
export type SeriesKind = (typeof SERIES_KINDS)[number];

/** True for a series kind's name. */
export function isSeriesKind(text: string): text is SeriesKind {
  return (SERIES_KINDS as readonly string[]).includes(text);
}
