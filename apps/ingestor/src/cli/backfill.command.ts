import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ingestorConfig } from '../config/ingestor.config';
import { BackfillService } from '../backfill/backfill.service';
import { PROVIDER_NAMES } from '../providers/provider-registry';
import { type CliCommand, type CliCommandRunner, type CliValues } from './cli-command';
import { progressReporter, summaryText } from './run-report';
import { cliRange, providerTarget } from './series-options';

/**
 * ingestor backfill --asset AAPL --from 2025-08-01 --to 2025-08-31 [--source synthetic]
 * Resumes from the checkpoint of an earlier run of the same backfill unless --restart.
 */
@Injectable()
export class BackfillCommand implements CliCommandRunner {
  constructor(
    private readonly backfill: BackfillService,
    @Inject(ingestorConfig.KEY) private readonly config: ConfigType<typeof ingestorConfig>,
  ) {}

  async run(values: CliValues): Promise<void> {
    const { from, to } = cliRange(values);
    const { source, target } = providerTarget(values, this.config.jobs.file);
    const progress = progressReporter(`backfill ${target.kind} ${target.seriesId} from ${source}`);
    try {
      const { summary } = await this.backfill.backfill(
        target,
        { from, to },
        {
          restart: values.restart === true,
          onResume: (resumeFrom) =>
            process.stdout.write(
              resumeFrom >= to
                ? `resuming from ${resumeFrom.toISOString()}: an earlier run completed this backfill (--restart runs it again)\n`
                : `resuming from ${resumeFrom.toISOString()} (an earlier run's checkpoint; --restart starts over)\n`,
            ),
          onChunk: (chunk) => progress.update(chunk),
        },
      );
      progress.stop();
      process.stdout.write(`${summaryText(summary)}\n`);
    } finally {
      progress.stop();
    }
  }
}

export const BACKFILL_COMMAND: CliCommand = {
  name: 'backfill',
  description:
    "Fetch and write a series' bars for a time range; re-run after an interruption, it resumes where it stopped",
  options: {
    asset: { value: 'id', description: 'asset id, e.g. AAPL' },
    commodity: { value: 'id', description: 'commodity id, e.g. brent' },
    from: { value: 'date', description: 'start, inclusive (ISO date or date-time, UTC)' },
    to: { value: 'date', description: 'end; a plain date covers that whole day' },
    source: { value: 'provider', description: `provider: ${PROVIDER_NAMES.join(', ')} (default synthetic)` },
    symbol: { value: 'symbol', description: "the provider's symbol (default: from the jobs file, else the id)" },
    interval: {
      value: 'interval',
      description: "bar interval: 1m, 5m, 15m, 1h, 1d (default: from the jobs file, else 1m); must be the series' own",
    },
    restart: { description: "start at --from again, ignoring an earlier run's checkpoint" },
  },
  runner: BackfillCommand,
};
