import fs from 'node:fs';
import path from 'node:path';

/** One timed operation of a load: an API request or a chunk written by the ingest path. */
export interface Sample {
  /** Date.now() when it started. */
  readonly startedAt: number;
  readonly ms: number;
  readonly ok: boolean;
  /** HTTP status, or the error's name when there was no response. */
  readonly outcome: string;
  /** Rows written, for writes. */
  readonly rows?: number;
  /** For a failure: what came back (a problem body, the client's error and its cause). */
  readonly detail?: string;
}

/** A named span of the run (steady, fault, …): samples that started inside it belong to it. */
export interface Phase {
  readonly name: string;
  readonly from: number;
  readonly to: number;
}

/** Nearest-rank percentile of durations in ms; null when there are none. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? null;
}

export interface PhaseFigures {
  readonly phase: string;
  readonly seconds: number;
  readonly attempted: number;
  readonly failed: number;
  readonly rows: number;
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
  readonly maxMs: number | null;
  /** Samples slower than a second: the few a p99 can hide. */
  readonly overOneSecond: number;
  readonly outcomes: Readonly<Record<string, number>>;
}

/** Attempts, failures and latency of the samples of each phase, plus the whole run. */
export function phaseFigures(samples: readonly Sample[], phases: readonly Phase[]): PhaseFigures[] {
  const figures = (name: string, from: number, to: number): PhaseFigures => {
    const inside = samples.filter((sample) => sample.startedAt >= from && sample.startedAt < to);
    const durations = inside.map((sample) => sample.ms);
    const outcomes: Record<string, number> = {};
    for (const sample of inside) outcomes[sample.outcome] = (outcomes[sample.outcome] ?? 0) + 1;
    return {
      phase: name,
      seconds: Math.round((to - from) / 100) / 10,
      attempted: inside.length,
      failed: inside.filter((sample) => !sample.ok).length,
      rows: inside.reduce((total, sample) => total + (sample.rows ?? 0), 0),
      p50Ms: round(percentile(durations, 50)),
      p99Ms: round(percentile(durations, 99)),
      maxMs: round(durations.length === 0 ? null : Math.max(...durations)),
      overOneSecond: durations.filter((ms) => ms > 1000).length,
      outcomes,
    };
  };
  const all = phases.length === 0 ? [] : [figures('all', phases[0]?.from ?? 0, phases.at(-1)?.to ?? 0)];
  return [...phases.map((phase) => figures(phase.name, phase.from, phase.to)), ...all];
}

/**
 * The longest stretch inside [from, to) in which no sample started (the window's edges count):
 * a load that "ran through the fault" leaves no long hole there, whatever its count.
 */
export function longestQuietMs(samples: readonly Sample[], from: number, to: number): number {
  const starts = samples
    .map((sample) => sample.startedAt)
    .filter((at) => at >= from && at < to)
    .sort((a, b) => a - b);
  let longest = 0;
  let previous = from;
  for (const at of [...starts, to]) {
    longest = Math.max(longest, at - previous);
    previous = at;
  }
  return longest;
}

function round(value: number | null): number | null {
  return value === null ? null : Math.round(value * 10) / 10;
}

/** A plain-text table: one header row, aligned columns. */
export function table(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | null>>): string {
  const cells = [header, ...rows.map((row) => row.map((cell) => (cell === null ? '-' : String(cell))))];
  const widths = header.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)));
  const line = (row: readonly string[]) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ');
  return [line(cells[0] ?? []), widths.map((width) => '-'.repeat(width)).join('-|-'), ...cells.slice(1).map(line)].join(
    '\n',
  );
}

/** The rows of a phase table for reads or writes. */
export function phaseRows(figures: readonly PhaseFigures[], withRows = false): (string | number | null)[][] {
  return figures.map((figure) => [
    figure.phase,
    figure.seconds,
    figure.attempted,
    ...(withRows ? [figure.rows] : []),
    figure.failed,
    figure.p50Ms,
    figure.p99Ms,
    figure.maxMs,
    figure.overOneSecond,
  ]);
}

export const PHASE_HEADER = ['phase', 's', 'attempted', 'failed', 'p50 ms', 'p99 ms', 'max ms', '> 1 s'];
export const WRITE_PHASE_HEADER = ['phase', 's', 'chunks', 'rows', 'failed', 'p50 ms', 'p99 ms', 'max ms', '> 1 s'];

const FIGURES_FILE = path.resolve(__dirname, '..', '..', '..', '.cassandra', 'cluster-test-figures.jsonl');

/**
 * Prints a scenario's summary (a table for people, then one `CLUSTER_FIGURES {json}` line
 * for tools) and appends the JSON to .cassandra/cluster-test-figures.jsonl.
 */
export function report(scenario: string, text: string, figures: Record<string, unknown>): void {
  const json = JSON.stringify({ scenario, at: new Date().toISOString(), ...figures });
  process.stdout.write(`\n===== ${scenario} =====\n${text}\nCLUSTER_FIGURES ${json}\n\n`);
  fs.mkdirSync(path.dirname(FIGURES_FILE), { recursive: true });
  fs.appendFileSync(FIGURES_FILE, `${json}\n`);
}
