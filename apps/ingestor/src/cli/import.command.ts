import fs from 'node:fs';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ingestorConfig } from '../config/ingestor.config';
import { IngestService } from '../ingest/ingest.service';
import { loadJobs } from '../jobs/jobs-file';
import { CsvLineError, parseCsvFile } from '../providers/csv/csv.provider';
import { type CliCommand, type CliCommandRunner, type CliValues, UsageError, optionText } from './cli-command';
import { progressReporter, summaryText } from './run-report';
import { seriesOptions, seriesTarget } from './series-options';

const ALL_TIME = { from: new Date('0001-01-01T00:00:00.000Z'), to: new Date('9999-12-31T23:59:59.999Z') };

/** ingestor import --file prices.csv --asset X   (CSV: ts,price,volume with a header) */
@Injectable()
export class ImportCommand implements CliCommandRunner {
  constructor(
    private readonly ingest: IngestService,
    @Inject(ingestorConfig.KEY) private readonly config: ConfigType<typeof ingestorConfig>,
  ) {}

  async run(values: CliValues): Promise<void> {
    const file = optionText(values, 'file');
    if (file === undefined) throw new UsageError('--file is required');
    if (!fs.existsSync(file)) throw new UsageError(`no such file: ${file}`);
    const { asset, commodity, interval } = seriesOptions(values);
    const target = seriesTarget({ asset, commodity, interval, source: 'csv' }, loadJobs(this.config.jobs.file), 'csv');
    // A first pass checks every line, so a malformed line stops the import before anything is written.
    let lines = 0;
    try {
      for await (const _bar of parseCsvFile(file)) lines += 1;
    } catch (error) {
      // A malformed file is bad input (exit 2); a file that cannot be read stays a failure (1).
      if (error instanceof CsvLineError) throw new UsageError(error.message);
      throw error;
    }
    const progress = progressReporter(`import ${file} into ${target.kind} ${target.seriesId}`);
    try {
      const summary = await this.ingest.ingest(target, ALL_TIME, {
        bars: parseCsvFile(file),
        onChunk: (chunk) => progress.update(chunk),
      });
      progress.stop();
      process.stdout.write(`${lines} data lines read\n${summaryText(summary)}\n`);
    } finally {
      progress.stop();
    }
  }
}

export const IMPORT_COMMAND: CliCommand = {
  name: 'import',
  description: 'Write the bars of a CSV file (ts,price,volume) to a series',
  options: {
    file: { value: 'path', description: 'CSV file with a header: ts,price,volume' },
    asset: { value: 'id', description: 'asset id' },
    commodity: { value: 'id', description: 'commodity id' },
    interval: {
      value: 'interval',
      description:
        "the file's bar interval: 1m, 5m, 15m, 1h, 1d (default: from the jobs file, else 1m); must be the series' own",
    },
  },
  runner: ImportCommand,
};
