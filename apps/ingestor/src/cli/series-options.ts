import { parseIsoInstant } from '@market/domain';
import { type CliValues, UsageError, optionText } from './cli-command';
import { BAR_INTERVALS, type BarInterval } from '../providers/price-provider.interface';
import type { SeriesTarget } from '../ingest/ingest.service';
import { type JobDefinition, loadJobs } from '../jobs/jobs-file';
import { PROVIDER_NAMES, isProviderName } from '../providers/provider-registry';

export interface SeriesOptions {
  asset?: string;
  commodity?: string;
  source?: string;
  symbol?: string;
  interval?: string;
}

/** The series options a command was given (those it does not declare are absent). */
export function seriesOptions(values: CliValues): SeriesOptions {
  return {
    asset: optionText(values, 'asset'),
    commodity: optionText(values, 'commodity'),
    source: optionText(values, 'source'),
    symbol: optionText(values, 'symbol'),
    interval: optionText(values, 'interval'),
  };
}

/**
 * A CLI bound, strict ISO-8601 as the API reads it (no offset means UTC, impossible dates are
 * errors). `end` makes a plain date cover its whole day: the window's end is exclusive, so
 * that is the next midnight.
 */
export function parseCliInstant(text: string, flag: string, end = false): Date {
  const parsed = parseIsoInstant(text, end ? 'end-of-day' : 'start-of-day');
  if (!parsed.ok) {
    throw new UsageError(`--${flag} ${parsed.why} (got "${text}")`);
  }
  return parsed.dateOnly && end ? new Date(parsed.instant.getTime() + 1) : parsed.instant;
}

/** The required `--from`/`--to` of a command, parsed strictly; `--from` must come first. */
export function cliRange(values: CliValues): { readonly from: Date; readonly to: Date } {
  const fromText = optionText(values, 'from');
  const toText = optionText(values, 'to');
  if (fromText === undefined || toText === undefined) throw new UsageError('--from and --to are required');
  const from = parseCliInstant(fromText, 'from');
  const to = parseCliInstant(toText, 'to', true);
  if (from >= to) throw new UsageError(`--from (${fromText}) must be before --to (${toText})`);
  return { from, to };
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

/**
 * The series of a command that fetches from a provider (backfill, heal): `--source`
 * (default synthetic; not csv, which is the import command's) and the target it names.
 */
export function providerTarget(
  values: CliValues,
  jobsFile: string,
): { readonly source: string; readonly target: SeriesTarget } {
  const options = seriesOptions(values);
  const source = options.source ?? 'synthetic';
  if (!isProviderName(source) || source === 'csv') {
    throw new UsageError(
      `unknown source "${source}": use one of ${PROVIDER_NAMES.filter((name) => name !== 'csv').join(', ')} (files: the import command)`,
    );
  }
  return { source, target: seriesTarget(options, loadJobs(jobsFile), source) };
}
