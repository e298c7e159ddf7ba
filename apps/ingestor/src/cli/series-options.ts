import { type SeriesKind, parseIsoInstant } from '@market/domain';
import { type CliOption, type CliValues, UsageError, optionText } from './cli-command';
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

/** The --asset/--commodity options of the commands that name stored series (backfill, rollup). */
export const SERIES_SELECTION_OPTIONS = {
  asset: { value: 'id[,id...]', description: 'asset id, e.g. AAPL; several, comma-separated (AAPL,MSFT), in one run' },
  commodity: { value: 'id[,id...]', description: 'commodity id, e.g. brent; several, comma-separated, in one run' },
} as const satisfies Record<string, CliOption>;

/** Series of one kind that a command names. */
export interface SeriesSelection {
  readonly kind: SeriesKind;
  readonly ids: readonly string[];
}

/** --asset or --commodity (exactly one), each a comma-separated list of distinct, non-empty ids. */
export function seriesSelection(options: Pick<SeriesOptions, 'asset' | 'commodity'>): SeriesSelection {
  if ((options.asset === undefined) === (options.commodity === undefined)) {
    throw new UsageError('name the series with either --asset <id[,id...]> or --commodity <id[,id...]>');
  }
  const kind = options.asset === undefined ? 'commodity' : 'asset';
  const ids = (options.asset ?? options.commodity ?? '').split(',').map((id) => id.trim());
  if (ids.some((id) => id === '')) throw new UsageError(`--${kind} holds an empty id (got "${ids.join(',')}")`);
  const repeated = ids.find((id, index) => ids.indexOf(id) !== index);
  if (repeated !== undefined) throw new UsageError(`--${kind} names ${repeated} twice`);
  return { kind, ids };
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

/** `--source` of a command that fetches from a provider (backfill, heal): default synthetic; never csv (the import command's). */
export function providerSource(options: SeriesOptions): string {
  const source = options.source ?? 'synthetic';
  if (!isProviderName(source) || source === 'csv') {
    throw new UsageError(
      `unknown source "${source}": use one of ${PROVIDER_NAMES.filter((name) => name !== 'csv').join(', ')} (files: the import command)`,
    );
  }
  return source;
}

/** The one series of a command that fetches from a provider (heal) and the source it fetches from. */
export function providerTarget(
  values: CliValues,
  jobsFile: string,
): { readonly source: string; readonly target: SeriesTarget } {
  const options = seriesOptions(values);
  const source = providerSource(options);
  return { source, target: seriesTarget(options, loadJobs(jobsFile), source) };
}
