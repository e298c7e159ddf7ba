import { BAR_INTERVALS, type BarInterval } from '../providers/price-provider.interface';
import type { SeriesTarget } from '../ingest/ingest.service';
import type { JobDefinition } from '../jobs/jobs-file';

/** Bad command-line input: printed as is, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface SeriesOptions {
  asset?: string;
  commodity?: string;
  source?: string;
  symbol?: string;
  interval?: string;
}

/** A plain date (whole UTC day) or an ISO date-time; `end` makes a plain date cover its day. */
export function parseCliInstant(text: string, flag: string, end = false): Date {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const ms = Date.parse(dateOnly ? `${text}T00:00:00.000Z` : text);
  if (!/^\d{4}-\d{2}-\d{2}(T.*)?$/.test(text) || Number.isNaN(ms)) {
    throw new UsageError(`--${flag} must be an ISO date like 2025-08-01 (got "${text}")`);
  }
  return new Date(dateOnly && end ? ms + 86_400_000 : ms);
}

/**
 * The series a command works on: --asset or --commodity, the provider symbol and interval
 * from the matching job in the jobs file unless given on the command line.
 */
export function seriesTarget(
  options: SeriesOptions,
  jobs: readonly JobDefinition[],
  defaultSource: string,
): SeriesTarget {
  if ((options.asset === undefined) === (options.commodity === undefined)) {
    throw new UsageError('name exactly one series: --asset <id> or --commodity <id>');
  }
  const kind = options.asset === undefined ? 'commodity' : 'asset';
  const seriesId = options.asset ?? options.commodity ?? '';
  const source = options.source ?? defaultSource;
  const job =
    jobs.find(
      (candidate) => candidate.kind === kind && candidate.seriesId === seriesId && candidate.provider === source,
    ) ?? jobs.find((candidate) => candidate.kind === kind && candidate.seriesId === seriesId);
  if (job === undefined && options.symbol === undefined && source !== 'synthetic' && source !== 'csv') {
    throw new UsageError(
      `unknown ${kind} "${seriesId}": it is in no job of the jobs file; pass --symbol to name the provider's symbol`,
    );
  }
  const interval = options.interval ?? job?.interval ?? '1m';
  if (!BAR_INTERVALS.includes(interval as BarInterval)) {
    throw new UsageError(`--interval must be one of ${BAR_INTERVALS.join(', ')} (got "${interval}")`);
  }
  return {
    kind,
    seriesId,
    provider: source,
    symbol: options.symbol ?? (job?.provider === source ? job.symbol : seriesId),
    interval: interval as BarInterval,
    ...(job?.name === undefined ? {} : { name: job.name }),
    ...(job === undefined ? {} : { meta: job.meta }),
  };
}
