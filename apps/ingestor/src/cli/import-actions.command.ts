import fs from 'node:fs';
import { Injectable } from '@nestjs/common';
import { CorporateActionRepository } from '@market/cassandra';
import { ACTIONS_CSV_HEADER, parseActionsCsv } from '../actions/actions-csv';
import { type CliCommand, type CliCommandRunner, type CliValues, UsageError, optionText } from './cli-command';

/** A file larger than this is no list of corporate actions. */
const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** ingestor import-actions --file actions.csv --asset X   (an operator's splits and dividends) */
@Injectable()
export class ImportActionsCommand implements CliCommandRunner {
  constructor(private readonly actions: CorporateActionRepository) {}

  async run(values: CliValues, write: (text: string) => void = (text) => process.stdout.write(text)): Promise<void> {
    const file = optionText(values, 'file');
    if (file === undefined) throw new UsageError('--file is required');
    const asset = optionText(values, 'asset');
    const commodity = optionText(values, 'commodity');
    if ((asset === undefined) === (commodity === undefined)) {
      throw new UsageError('name exactly one series: --asset <id> or --commodity <id>');
    }
    if (!fs.existsSync(file)) throw new UsageError(`no such file: ${file}`);
    if (fs.statSync(file).size > MAX_FILE_BYTES) throw new UsageError(`${file} is over ${MAX_FILE_BYTES} bytes`);
    const parsed = parseActionsCsv(fs.readFileSync(file, 'utf8'));
    if (!parsed.ok) {
      const lines = parsed.errors.map((error) => `${file}: line ${error.line}: ${error.reason}`);
      throw new UsageError(`${lines.join('\n')}\nnothing written`);
    }
    const kind = asset === undefined ? 'commodity' : 'asset';
    const seriesId = asset ?? commodity ?? '';
    await this.actions.upsert(kind, seriesId, parsed.actions, new Date());
    write(`${parsed.actions.length} corporate actions written to ${kind} ${seriesId} (source csv)\n`);
  }
}

export const IMPORT_ACTIONS_COMMAND: CliCommand = {
  name: 'import-actions',
  description: `Write the splits and dividends of a CSV file (${ACTIONS_CSV_HEADER}) to a series`,
  options: {
    file: { value: 'path', description: `CSV file with a header: ${ACTIONS_CSV_HEADER}[,known_at]` },
    asset: { value: 'id', description: 'asset id' },
    commodity: { value: 'id', description: 'commodity id' },
  },
  runner: ImportActionsCommand,
};
