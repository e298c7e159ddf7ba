/**
 * Units a bar interval counts in, each with its fixed length. Calendar units (a week that
 * starts on Monday in the exchange's zone, a month of 28 to 31 days) have no fixed length:
 * they join with calendar arithmetic of their own, not a number of milliseconds here.
 */
const UNIT_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;

export type BarIntervalUnit = keyof typeof UNIT_MS;

/** How wide a bar is: `count` of one unit. */
export interface BarIntervalWidth {
  readonly count: number;
  readonly unit: BarIntervalUnit;
}

/** Every bar interval by its label, shortest first. Adding one is one line here. */
const WIDTHS = {
  '1m': { count: 1, unit: 'minute' },
  '5m': { count: 5, unit: 'minute' },
  '15m': { count: 15, unit: 'minute' },
  '1h': { count: 1, unit: 'hour' },
  '1d': { count: 1, unit: 'day' },
} as const satisfies Readonly<Record<string, BarIntervalWidth>>;

/**
 * The width of a bar, as a label: what a provider serves, what a series stores (its catalog
 * entry's `meta.interval`), what a job and the CLI's `--interval` name.
 */
export type BarInterval = keyof typeof WIDTHS;

/** Every bar interval, shortest first. */
export const BAR_INTERVALS = Object.freeze(Object.keys(WIDTHS)) as readonly BarInterval[];

/** True for the label of a bar interval (`1m`, `5m`, `15m`, `1h`, `1d`). */
export function isBarInterval(text: string): text is BarInterval {
  return Object.hasOwn(WIDTHS, text);
}

/** The bar interval a label names, or null for any other text (`1M`, `60m`, `daily`). */
export function parseBarInterval(text: string): BarInterval | null {
  return isBarInterval(text) ? text : null;
}

/** The interval's count and unit: `5m` is 5 minutes. */
export function barIntervalWidth(interval: BarInterval): BarIntervalWidth {
  return WIDTHS[interval];
}

/** The interval's length in milliseconds: `5m` is 300,000. */
export function barIntervalMs(interval: BarInterval): number {
  const { count, unit } = WIDTHS[interval];
  return count * UNIT_MS[unit];
}

/** The interval in words, for messages: `minute`, `5 minutes`, `day`. */
export function describeBarInterval(interval: BarInterval): string {
  const { count, unit } = WIDTHS[interval];
  return count === 1 ? unit : `${count} ${unit}s`;
}

/**
 * The start of the interval-wide bar that holds `instantMs`, counting bars from the Unix
 * epoch (so a `1d` bar starts at 00:00 UTC), in epoch milliseconds.
 */
export function barStartMs(instantMs: number, interval: BarInterval): number {
  const width = barIntervalMs(interval);
  return Math.floor(instantMs / width) * width;
}
