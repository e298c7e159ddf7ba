import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { forEachBounded } from '@market/cassandra';
import { ingestorConfig } from '../config/ingestor.config';
import { BackfillService } from '../backfill/backfill.service';
import type { IngestSummary, SeriesTarget, TimeWindow } from '../ingest/ingest.service';
import { loadJobs } from '../jobs/jobs-file';
import { PROVIDER_NAMES } from '../providers/provider-registry';
import { type CliCommand, type CliCommandRunner, type CliValues, UsageError, optionText } from './cli-command';
import { progressReporter, summaryText } from './run-report';
import {
  SERIES_SELECTION_OPTIONS,
  cliRange,
  providerSource,
  seriesOptions,
  seriesSelection,
  seriesTarget,
} from './series-options';

const DEFAULT_PARALLEL = 4;
const MAX_PARALLEL = 64;

/** `--parallel`: series backfilled at once when several are named. */
function parallelOption(values: CliValues): number {
  const text = optionText(values, 'parallel');
  if (text === undefined) return DEFAULT_PARALLEL;
  const parallel = Number(text);
  if (!/^\d+$/.test(text) || parallel < 1 || parallel > MAX_PARALLEL) {
    throw new UsageError(`--parallel must be a whole number from 1 to ${MAX_PARALLEL} (got "${text}")`);
  }
  return parallel;
}

function resumeLine(label: string, resumeFrom: Date, to: Date): string {
  return resumeFrom >= to
    ? `${label}resuming from ${resumeFrom.toISOString()}: an earlier run completed this backfill (--restart runs it again)\n`
    : `${label}resuming from ${resumeFrom.toISOString()} (an earlier run's checkpoint; --restart starts over)\n`;
}

const rejectedCount = (summary: IngestSummary): number =>
  Object.values(summary.rejected).reduce((total, count) => total + count, 0);

/**
 * ingestor backfill --asset AAPL[,MSFT...] --from 2025-08-01 --to 2025-08-31 [--source synthetic]
 * Resumes each series from the checkpoint of an earlier run of the same backfill unless
 * --restart. Several series run in one process, --parallel at a time.
 */
@Injectable()
export class BackfillCommand implements CliCommandRunner {
  constructor(
    private readonly backfill: BackfillService,
    @Inject(ingestorConfig.KEY) private readonly config: ConfigType<typeof ingestorConfig>,
  ) {}

  async run(values: CliValues): Promise<void> {
    const window = cliRange(values);
    const options = seriesOptions(values);
    const source = providerSource(options);
    const { kind, ids } = seriesSelection(options);
    const parallel = parallelOption(values);
    if (ids.length > 1 && options.symbol !== undefined) {
      throw new UsageError("--symbol names one series' provider symbol: give one --asset or --commodity with it");
    }
    const jobs = loadJobs(this.config.jobs.file);
    // Every target is resolved first: bad input stops the run before any series is written.
    const targets = ids.map((id) =>
      seriesTarget({ ...options, asset: undefined, commodity: undefined, [kind]: id }, jobs, source),
    );
    const [only] = targets;
    if (only !== undefined && targets.length === 1) await this.runOne(only, window, values.restart === true);
    else await this.runMany(targets, window, values.restart === true, parallel);
  }

  private async runOne(target: SeriesTarget, window: TimeWindow, restart: boolean): Promise<void> {
    const progress = progressReporter(`backfill ${target.kind} ${target.seriesId} from ${target.provider}`);
    try {
      const { summary } = await this.backfill.backfill(target, window, {
        restart,
        onResume: (resumeFrom) => process.stdout.write(resumeLine('', resumeFrom, window.to)),
        onChunk: (chunk) => progress.update(chunk),
      });
      progress.stop();
      process.stdout.write(`${summaryText(summary)}\n`);
    } finally {
      progress.stop();
    }
  }

  /**
   * Several series in one process, `parallel` at a time: one line as each finishes, then the
   * summary over all. A series that fails is reported and the others go on; the run then
   * fails naming it (a re-run resumes every series from its own checkpoint).
   */
  private async runMany(
    targets: readonly SeriesTarget[],
    window: TimeWindow,
    restart: boolean,
    parallel: number,
  ): Promise<void> {
    const started = Date.now();
    const rejected: Record<string, number> = {};
    let written = 0;
    let lastTs: Date | null = null;
    const failed: string[] = [];
    await forEachBounded(targets, parallel, async (target) => {
      const label = `${target.kind} ${target.seriesId}: `;
      try {
        const { summary } = await this.backfill.backfill(target, window, {
          restart,
          onResume: (resumeFrom) => process.stdout.write(resumeLine(label, resumeFrom, window.to)),
        });
        written += summary.written;
        for (const [reason, count] of Object.entries(summary.rejected))
          rejected[reason] = (rejected[reason] ?? 0) + count;
        if (summary.lastTs !== null && (lastTs === null || summary.lastTs > lastTs)) lastTs = summary.lastTs;
        process.stdout.write(`${label}${summary.written} rows written, ${rejectedCount(summary)} rejected\n`);
      } catch (error) {
        failed.push(target.seriesId);
        process.stderr.write(`${label}failed: ${error instanceof Error ? error.message : String(error)}\n`);
      }
    });
    process.stdout.write(
      `series: ${targets.length - failed.length} of ${targets.length} backfilled, ${parallel} at a time\n` +
        `${summaryText({ written, rejected, lastTs, durationMs: Date.now() - started })}\n`,
    );
    if (failed.length > 0) {
      throw new Error(
        `${failed.length} of ${targets.length} series failed (${failed.join(', ')}); run again to resume them`,
      );
    }
  }
}

export const BACKFILL_COMMAND: CliCommand = {
  name: 'backfill',
  description:
    "Fetch and write series' bars for a time range; re-run after an interruption, it resumes where it stopped",
  options: {
    ...SERIES_SELECTION_OPTIONS,
    from: { value: 'date', description: 'start, inclusive (ISO date or date-time, UTC)' },
    to: { value: 'date', description: 'end; a plain date covers that whole day' },
    source: { value: 'provider', description: `provider: ${PROVIDER_NAMES.join(', ')} (default synthetic)` },
    symbol: { value: 'symbol', description: "the provider's symbol (default: from the jobs file, else the id)" },
    interval: {
      value: 'interval',
      description: "bar interval: 1m, 5m, 15m, 1h, 1d (default: from the jobs file, else 1m); must be the series' own",
    },
    parallel: {
      value: 'n',
      description: `series backfilled at once when several are named (default ${DEFAULT_PARALLEL}, at most ${MAX_PARALLEL})`,
    },
    restart: { description: "start at --from again, ignoring an earlier run's checkpoint" },
  },
  runner: BackfillCommand,
};
