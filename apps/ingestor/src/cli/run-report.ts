import { SingleBar } from 'cli-progress';
import type { ChunkProgress, IngestSummary } from '../ingest/ingest.service';

/** Progress as a bar on a terminal, as plain lines otherwise (CI logs, pipes). */
export function progressReporter(label: string, stream: NodeJS.WriteStream = process.stderr) {
  if (stream.isTTY) {
    const bar = new SingleBar({
      stream,
      format: `${label} [{bar}] {percentage}% | {written} rows written, {rejected} rejected | up to {upTo}`,
      hideCursor: true,
    });
    let started = false;
    return {
      update(progress: ChunkProgress): void {
        const total = progress.window.to.getTime() - progress.window.from.getTime();
        const done = progress.done.to.getTime() - progress.window.from.getTime();
        const payload = {
          written: progress.written,
          rejected: progress.rejected,
          upTo: progress.done.to.toISOString(),
        };
        if (!started) {
          bar.start(Math.max(total, 1), 0, payload);
          started = true;
        }
        bar.update(Math.min(done, total), payload);
      },
      stop: () => bar.stop(),
    };
  }
  let lastLine = 0;
  return {
    update(progress: ChunkProgress): void {
      // One line per chunk would flood a CI log: at most one a second.
      if (Date.now() - lastLine < 1000) return;
      lastLine = Date.now();
      stream.write(
        `${label}: up to ${progress.done.to.toISOString()}, ${progress.written} rows written, ${progress.rejected} rejected\n`,
      );
    },
    stop: () => undefined,
  };
}

/** The closing summary of a backfill or import. */
export function summaryText(summary: IngestSummary): string {
  const seconds = summary.durationMs / 1000;
  const rejected = Object.entries(summary.rejected);
  const rejectedTotal = rejected.reduce((total, [, count]) => total + count, 0);
  return [
    `rows written: ${summary.written}`,
    `rows rejected: ${rejectedTotal}${rejected.length === 0 ? '' : ` (${rejected.map(([reason, count]) => `${reason}: ${count}`).join(', ')})`}`,
    `duration: ${seconds.toFixed(1)} s (${seconds > 0 ? Math.round(summary.written / seconds) : summary.written} rows/s)`,
    `latest bar: ${summary.lastTs?.toISOString() ?? 'none'}`,
  ].join('\n');
}
