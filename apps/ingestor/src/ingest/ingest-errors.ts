import type { SeriesKind } from '@market/cassandra';

/**
 * A write at another bar interval than the series' stored one (its catalog entry's): refused
 * before anything is written, since 5-minute bars written into a 1-minute series would
 * overwrite every fifth minute and leave a series of two intervals.
 */
export class SeriesIntervalError extends Error {
  override readonly name = 'SeriesIntervalError';

  constructor(
    readonly kind: SeriesKind,
    readonly seriesId: string,
    readonly storedInterval: string,
    readonly requestedInterval: string,
  ) {
    super(
      `${kind} ${seriesId} is stored at interval ${storedInterval}: refusing to write ${requestedInterval} bars into it ` +
        `(a series holds one interval; nothing was written). Use interval ${storedInterval}, or another series id for the ${requestedInterval} bars`,
    );
  }
}
