import type { SessionCoverage, SessionStatus } from './api-types';

/** A stretch of time the coverage report found short of bars. */
export interface GapSpan {
  readonly date: string;
  readonly status: Extract<SessionStatus, 'partial' | 'missing'>;
  readonly fromMs: number;
  /** Exclusive. */
  readonly toMs: number;
  readonly missingBars: number;
}

/**
 * The stretches to shade: each missing run of a partial session (its last bar start plus one
 * stored interval), and a missing session from its open to its close.
 */
export function gapSpans(sessions: readonly SessionCoverage[], intervalMs: number): GapSpan[] {
  const spans: GapSpan[] = [];
  for (const session of sessions) {
    if (session.status === 'missing' && session.open !== null && session.close !== null) {
      spans.push({
        date: session.date,
        status: 'missing',
        fromMs: Date.parse(session.open),
        toMs: Date.parse(session.close),
        missingBars: session.expected - session.present,
      });
    } else if (session.status === 'partial') {
      for (const run of session.missing) {
        spans.push({
          date: session.date,
          status: 'partial',
          fromMs: Date.parse(run.from),
          toMs: Date.parse(run.to) + intervalMs,
          missingBars: run.bars,
        });
      }
    }
  }
  return spans;
}

/**
 * Where instant `t` falls among bars starting at `starts` (ascending, UTC ms), each `widthMs`
 * wide, in the chart's logical coordinates (bar i is centred on i): inside a bar, its share of
 * the bar; between two bars (a stretch with no bar at all), halfway between them.
 */
export function logicalPosition(starts: readonly number[], widthMs: number, t: number): number {
  let low = 0;
  let high = starts.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if ((starts[middle] ?? Infinity) <= t) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  if (found < 0) return -0.5;
  const start = starts[found] ?? t;
  const next = starts[found + 1] ?? Infinity;
  const end = Math.min(start + widthMs, next);
  return t < end ? found - 0.5 + (t - start) / (end - start) : found + 0.5;
}

/** A span in logical coordinates, at least `minWidth` bars wide so a gap between two adjacent bars still shows. */
export function logicalSpan(
  starts: readonly number[],
  widthMs: number,
  span: Pick<GapSpan, 'fromMs' | 'toMs'>,
  minWidth: number,
): { readonly from: number; readonly to: number } {
  const from = logicalPosition(starts, widthMs, span.fromMs);
  const to = logicalPosition(starts, widthMs, span.toMs - 1);
  if (to - from >= minWidth) return { from, to };
  const centre = (from + to) / 2;
  return { from: centre - minWidth / 2, to: centre + minWidth / 2 };
}
