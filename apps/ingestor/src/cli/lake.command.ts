import path from 'node:path';
import { Injectable } from '@nestjs/common';
import { SingleBar } from 'cli-progress';
import { type CliCommand, type CliCommandRunner, type CliValues, UsageError, optionText } from './cli-command';
import { parseCliInstant } from './series-options';
import { type LakeProgress, LakeExporter, LakeSeriesNotFoundError, type LakeTimeframe } from '../lake/lake-exporter';

const TIMEFRAMES: readonly LakeTimeframe[] = ['1m', '1d'];

function idList(values: CliValues, flag: string): string[] | null {
  const text = optionText(values, flag);
  if (text === undefined) return null;
  const ids = text.split(',').map((id) => id.trim());
  if (ids.some((id) => id === ''))
    throw new UsageError(`--${flag} takes a comma-separated list of ids (got "${text}")`);
  return ids;
}

/** A bar on a terminal, a line every second otherwise (CI logs, pipes). */
function lakeProgress(stream: NodeJS.WriteStream = process.stderr): {
  update(progress: LakeProgress): void;
  stop(): void;
} {
  if (stream.isTTY) {
    const bar = new SingleBar({ stream, format: 'lake [{bar}] {value}/{total} partitions | {partition}' });
    let started = false;
    return {
      update(progress) {
        if (!started) bar.start(Math.max(progress.total, 1), 0, { partition: '' });
        started = true;
        bar.update(progress.done, { partition: progress.partition });
      },
      stop: () => bar.stop(),
    };
  }
  let lastLine = 0;
  return {
    update(progress) {
      if (Date.now() - lastLine < 1000) return;
      lastLine = Date.now();
      stream.write(`lake: ${progress.done}/${progress.total} partitions ${progress.partition}\n`);
    },
    stop: () => undefined,
  };
}

/**
 * ingestor lake --out DIR [--assets A,B] [--commodities x] [--from --to] [--timeframe 1m|1d]
 * (npm run export -- lake ...). Writes or refreshes a Parquet lake; see lake-exporter.ts.
 */
@Injectable()
export class LakeCommand implements CliCommandRunner {
  constructor(private readonly lake: LakeExporter) {}

  async run(values: CliValues): Promise<void> {
    const out = optionText(values, 'out');
    if (out === undefined) throw new UsageError('--out <dir> is required');
    const timeframe = optionText(values, 'timeframe') ?? '1m';
    if (!TIMEFRAMES.includes(timeframe as LakeTimeframe)) {
      throw new UsageError(`--timeframe must be 1m or 1d (got "${timeframe}")`);
    }
    const fromText = optionText(values, 'from');
    const toText = optionText(values, 'to');
    const from = fromText === undefined ? new Date(0) : parseCliInstant(fromText, 'from');
    const to = toText === undefined ? new Date(8.64e15) : parseCliInstant(toText, 'to', true);
    if (from >= to) throw new UsageError(`--from must be before --to`);
    const progress = lakeProgress();
    const started = Date.now();
    try {
      const summary = await this.lake.export(
        {
          out: path.resolve(out),
          timeframe: timeframe as LakeTimeframe,
          assets: idList(values, 'assets'),
          commodities: idList(values, 'commodities'),
          from,
          to,
        },
        (update) => progress.update(update),
      );
      progress.stop();
      process.stdout.write(
        `lake ${path.resolve(out)} (${timeframe}): ${summary.series} series, ${summary.written} partitions written ` +
          `(${summary.rows} rows, ${(summary.bytes / 1e6).toFixed(1)} MB), ${summary.unchanged} unchanged, ` +
          `${summary.removed} removed, in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
      );
    } catch (error) {
      progress.stop();
      if (error instanceof LakeSeriesNotFoundError) throw new UsageError(error.message);
      throw error;
    }
  }
}

export const LAKE_COMMAND: CliCommand = {
  name: 'lake',
  description:
    'Write or refresh a Hive-partitioned Parquet lake (kind=/id=/month=/data.parquet + _manifest.json); only changed partitions are rewritten',
  options: {
    out: { value: 'dir', description: 'the lake directory (created if missing)' },
    assets: { value: 'ids', description: 'comma-separated asset ids (default: every asset, unless --commodities)' },
    commodities: {
      value: 'ids',
      description: 'comma-separated commodity ids (default: every commodity, unless --assets)',
    },
    from: { value: 'date', description: 'start (ISO date or date-time, UTC); months overlapping the range are whole' },
    to: { value: 'date', description: 'end; a plain date covers that whole day' },
    timeframe: { value: '1m|1d', description: 'stored bars (1m, the default) or daily bars from the rollups (1d)' },
  },
  runner: LakeCommand,
};
