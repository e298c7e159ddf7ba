import { Injectable } from '@nestjs/common';
import { CatalogRepository, SeriesWriter } from '@market/cassandra';
import { catalogTimeZone, parseTimeZone } from '@market/domain';
import { type CliCommand, type CliCommandRunner, type CliValues, UsageError } from './cli-command';
import { cliRange, seriesOptions } from './series-options';

/**
 * ingestor rollup --asset AAPL --from 2024-01-01 --to 2024-12-31
 * Recomputes the daily rollups of a range from the stored base bars: for data written before
 * rollups were kept, or after the series' zone changed. Safe while the ingestor writes (each
 * day is replaced by the same compare-and-set the writer uses) and to run again.
 */
@Injectable()
export class RollupCommand implements CliCommandRunner {
  constructor(
    private readonly writer: SeriesWriter,
    private readonly catalog: CatalogRepository,
  ) {}

  async run(values: CliValues): Promise<void> {
    const { from, to } = cliRange(values);
    const { asset, commodity } = seriesOptions(values);
    if ((asset === undefined) === (commodity === undefined)) {
      throw new UsageError('name exactly one series: --asset <id> or --commodity <id>');
    }
    const kind = asset === undefined ? 'commodity' : 'asset';
    const seriesId = asset ?? commodity ?? '';
    const entry = await this.catalog.get(kind, seriesId);
    if (entry === null) throw new UsageError(`unknown ${kind} "${seriesId}": it is not in the catalog`);
    // The zone the API reads the series with, so the rebuilt days are the ones it asks for.
    const zone = parseTimeZone(catalogTimeZone(entry.meta));
    const started = Date.now();
    const days = await this.writer.rebuildRollups(kind, seriesId, zone, from, to);
    process.stdout.write(
      `recomputed the daily rollups of ${kind} ${seriesId}: ${days} local days (${zone.name}) from ${from.toISOString()} to ${to.toISOString()} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
    );
  }
}

export const ROLLUP_COMMAND: CliCommand = {
  name: 'rollup',
  description:
    "Recompute a series' daily rollups from its stored bars over a time range (data written before rollups were kept)",
  options: {
    asset: { value: 'id', description: 'asset id, e.g. AAPL' },
    commodity: { value: 'id', description: 'commodity id, e.g. brent' },
    from: {
      value: 'date',
      description: 'start, inclusive (ISO date or date-time, UTC); its whole local day is redone',
    },
    to: { value: 'date', description: 'end; a plain date covers that whole day' },
  },
  runner: RollupCommand,
};
