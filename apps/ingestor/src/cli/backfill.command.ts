import { Inject } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Command, CommandRunner, Option } from 'nest-commander';
import { ingestorConfig } from '../config/ingestor.config';
import { IngestService } from '../ingest/ingest.service';
import { loadJobs } from '../jobs/jobs-file';
import { isProviderName, PROVIDER_NAMES } from '../providers/provider-registry';
import { progressReporter, summaryText } from './run-report';
import { type SeriesOptions, UsageError, parseCliInstant, seriesTarget } from './series-options';

interface BackfillOptions extends SeriesOptions {
  from?: string;
  to?: string;
}

/** ingestor backfill --asset AAPL --from 2025-08-01 --to 2025-08-31 [--source synthetic] */
@Command({
  name: 'backfill',
  description: "Fetch and write a series' bars for a time range (idempotent: re-running changes no data)",
})
export class BackfillCommand extends CommandRunner {
  constructor(
    private readonly ingest: IngestService,
    @Inject(ingestorConfig.KEY) private readonly config: ConfigType<typeof ingestorConfig>,
  ) {
    super();
  }

  async run(_args: string[], options: BackfillOptions): Promise<void> {
    if (options.from === undefined || options.to === undefined) throw new UsageError('--from and --to are required');
    const from = parseCliInstant(options.from, 'from');
    const to = parseCliInstant(options.to, 'to', true);
    if (from >= to) throw new UsageError(`--from (${options.from}) must be before --to (${options.to})`);
    const source = options.source ?? 'synthetic';
    if (!isProviderName(source) || source === 'csv') {
      throw new UsageError(
        `unknown source "${source}": use one of ${PROVIDER_NAMES.filter((name) => name !== 'csv').join(', ')} (files: the import command)`,
      );
    }
    const target = seriesTarget(options, loadJobs(this.config.jobs.file), source);
    const progress = progressReporter(`backfill ${target.kind} ${target.seriesId} from ${source}`);
    try {
      const summary = await this.ingest.ingest(target, { from, to }, { onChunk: (chunk) => progress.update(chunk) });
      progress.stop();
      process.stdout.write(`${summaryText(summary)}\n`);
    } finally {
      progress.stop();
    }
  }

  @Option({ flags: '--asset <id>', description: 'asset id, e.g. AAPL' })
  parseAsset(value: string): string {
    return value;
  }

  @Option({ flags: '--commodity <id>', description: 'commodity id, e.g. brent' })
  parseCommodity(value: string): string {
    return value;
  }

  @Option({ flags: '--from <date>', description: 'start, inclusive (ISO date or date-time, UTC)' })
  parseFrom(value: string): string {
    return value;
  }

  @Option({ flags: '--to <date>', description: 'end; a plain date covers that whole day' })
  parseTo(value: string): string {
    return value;
  }

  @Option({ flags: '--source <provider>', description: `provider: ${PROVIDER_NAMES.join(', ')} (default synthetic)` })
  parseSource(value: string): string {
    return value;
  }

  @Option({
    flags: '--symbol <symbol>',
    description: "the provider's symbol (default: from the jobs file, else the id)",
  })
  parseSymbol(value: string): string {
    return value;
  }

  @Option({
    flags: '--interval <interval>',
    description: 'bar interval: 1m, 5m, 15m, 1h, 1d (default: from the jobs file, else 1m)',
  })
  parseInterval(value: string): string {
    return value;
  }
}
