import { Injectable } from '@nestjs/common';
import { CatalogRepository, SeriesWriter } from '@market/cassandra';
import { catalogTimeZone, parseTimeZone } from '@market/domain';
import { type CliCommand, type CliCommandRunner, type CliValues, UsageError } from './cli-command';
import { SERIES_SELECTION_OPTIONS, cliRange, seriesOptions, seriesSelection } from './series-options';

/**
 * ingestor rollup --asset AAPL[,MSFT...] --from 2024-01-01 --to 2024-12-31
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
    const { kind, ids } = seriesSelection(seriesOptions(values));
    // Every series is looked up first: an unknown one stops the run before any day is rebuilt.
    const series = [];
    for (const seriesId of ids) {
      const entry = await this.catalog.get(kind, seriesId);
      if (entry === null) throw new UsageError(`unknown ${kind} "${seriesId}": it is not in the catalog`);
      // The zone the API reads the series with, so the rebuilt days are the ones it asks for.
      series.push({ seriesId, zone: parseTimeZone(catalogTimeZone(entry.meta)) });
    }
    for (const { seriesId, zone } of series) {
      const started = Date.now();
      const days = await this.writer.rebuildRollups(kind, seriesId, zone, from, to);
      process.stdout.write(
        `recomputed the daily rollups of ${kind} ${seriesId}: ${days} local days (${zone.name}) from ${from.toISOString()} to ${to.toISOString()} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
      );
    }
  }
}

export const ROLLUP_COMMAND: CliCommand = {
  name: 'rollup',
  description:
    "Recompute series' daily rollups from their stored bars over a time range (data written before rollups were kept)",
  options: {
    ...SERIES_SELECTION_OPTIONS,
    from: {
      value: 'date',
      description: 'start, inclusive (ISO date or date-time, UTC); its whole local day is redone',
    },
    to: { value: 'date', description: 'end; a plain date covers that whole day' },
  },
  runner: RollupCommand,
};
