import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ingestorConfig } from '../config/ingestor.config';
import { HealService } from '../heal/heal.service';
import { type CliCommand, type CliCommandRunner, type CliValues, UsageError } from './cli-command';
import { cliRange, providerTarget } from './series-options';

/**
 * ingestor heal --asset AAPL --from 2025-07-01 --to 2025-07-31 [--source synthetic]
 * Finds the bars missing against the series' exchange calendar and re-fetches them from the
 * provider; ranges the provider confirms empty are recorded and not asked for again.
 */
@Injectable()
export class HealCommand implements CliCommandRunner {
  constructor(
    private readonly healer: HealService,
    @Inject(ingestorConfig.KEY) private readonly config: ConfigType<typeof ingestorConfig>,
  ) {}

  async run(values: CliValues): Promise<void> {
    const { from, to } = cliRange(values);
    const { source, target } = providerTarget(values, this.config.jobs.file);
    const summary = await this.healer.heal(target, { from, to });
    if (summary === null) {
      throw new UsageError(
        `${target.kind} "${target.seriesId}" cannot be healed: it is not in the catalog or follows no exchange calendar`,
      );
    }
    process.stdout.write(
      [
        `heal ${target.kind} ${target.seriesId} from ${source}, ${from.toISOString()} → ${to.toISOString()}`,
        `missing ranges: ${summary.ranges} (${summary.missingBefore} bars)`,
        `bars healed: ${summary.healed}`,
        `bars confirmed empty by the provider: ${summary.confirmedEmpty} (recorded, not asked again)`,
        `bars skipped as confirmed empty earlier: ${summary.skippedEmpty}`,
        `ranges failed after every attempt: ${summary.failedRanges}`,
        `bars still missing: ${summary.openAfter}`,
        `duration: ${(summary.durationMs / 1000).toFixed(1)} s`,
        '',
      ].join('\n'),
    );
  }
}

export const HEAL_COMMAND: CliCommand = {
  name: 'heal',
  description:
    "Re-fetch a series' bars missing against its exchange calendar; ranges the provider confirms empty are recorded",
  options: {
    asset: { value: 'id', description: 'asset id, e.g. AAPL' },
    commodity: { value: 'id', description: 'commodity id, e.g. brent' },
    from: { value: 'date', description: 'start, inclusive (ISO date or date-time, UTC)' },
    to: { value: 'date', description: 'end; a plain date covers that whole day' },
    source: { value: 'name', description: 'provider to re-fetch from (default: synthetic, or the job of the series)' },
    symbol: { value: 'symbol', description: "the provider's symbol (default: the job's, else the id)" },
    interval: { value: 'interval', description: "bar interval (default: the job's, else 1m)" },
  },
  runner: HealCommand,
};
