import fs from 'node:fs';
import { Inject } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Command, CommandRunner, Option } from 'nest-commander';
import { ingestorConfig } from '../config/ingestor.config';
import { IngestService } from '../ingest/ingest.service';
import { loadJobs } from '../jobs/jobs-file';
import { parseCsvFile } from '../providers/csv/csv.provider';
import { progressReporter, summaryText } from './run-report';
import { type SeriesOptions, UsageError, seriesTarget } from './series-options';

interface ImportOptions extends SeriesOptions {
  file?: string;
}

const ALL_TIME = { from: new Date('0001-01-01T00:00:00.000Z'), to: new Date('9999-12-31T23:59:59.999Z') };

/** ingestor import --file prices.csv --asset X   (CSV: ts,price,volume with a header) */
@Command({ name: 'import', description: 'Write the bars of a CSV file (ts,price,volume) to a series' })
export class ImportCommand extends CommandRunner {
  constructor(
    private readonly ingest: IngestService,
    @Inject(ingestorConfig.KEY) private readonly config: ConfigType<typeof ingestorConfig>,
  ) {
    super();
  }

  async run(_args: string[], options: ImportOptions): Promise<void> {
    const file = options.file;
    if (file === undefined) throw new UsageError('--file is required');
    if (!fs.existsSync(file)) throw new UsageError(`no such file: ${file}`);
    const target = seriesTarget({ ...options, source: 'csv' }, loadJobs(this.config.jobs.file), 'csv');
    // A first pass checks every line, so a malformed line stops the import before anything is written.
    let lines = 0;
    for await (const _bar of parseCsvFile(file)) lines += 1;
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

  @Option({ flags: '--file <path>', description: 'CSV file with a header: ts,price,volume' })
  parseFile(value: string): string {
    return value;
  }

  @Option({ flags: '--asset <id>', description: 'asset id' })
  parseAsset(value: string): string {
    return value;
  }

  @Option({ flags: '--commodity <id>', description: 'commodity id' })
  parseCommodity(value: string): string {
    return value;
  }
}
