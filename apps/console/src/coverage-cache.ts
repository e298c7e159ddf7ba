import { ApiError, type ApiClient } from './api-client';
import type { CoverageReport, SeriesKind, SessionCoverage } from './api-types';

const DAY_MS = 86_400_000;
/** The coverage routes answer at most 366 days per request. */
const MAX_DAYS = 366;

function coveragePath(kind: SeriesKind, id: string): string {
  const encoded = encodeURIComponent(id);
  return kind === 'asset' ? `/api/v1/data/${encoded}/coverage` : `/api/v1/commodities/${encoded}/coverage`;
}

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * Coverage of one series by session, fetched for the days the loaded bars span and kept, so a
 * change of timeframe, adjustment or zone over the same days asks for nothing new. A series
 * that follows no exchange calendar answers 400 once: then there is nothing to shade.
 */
export class CoverageCache {
  private sessions = new Map<string, SessionCoverage>();
  private fromDay: number | null = null;
  private toDay: number | null = null;
  private key = '';
  interval = '1m';
  unavailable: string | null = null;

  constructor(private readonly api: ApiClient) {}

  /** Sessions of the series, by date. */
  all(): SessionCoverage[] {
    return [...this.sessions.values()];
  }

  session(date: string): SessionCoverage | undefined {
    return this.sessions.get(date);
  }

  /** Makes sure every day from `fromMs` to `toMs` (UTC days) is known; true when anything new came. */
  async cover(kind: SeriesKind, id: string, fromMs: number, toMs: number): Promise<boolean> {
    if (this.key !== `${kind}:${id}`) {
      this.key = `${kind}:${id}`;
      this.sessions = new Map();
      this.fromDay = this.toDay = null;
      this.unavailable = null;
    }
    if (this.unavailable !== null) return false;
    const first = Math.floor(fromMs / DAY_MS) * DAY_MS;
    const last = Math.floor(toMs / DAY_MS) * DAY_MS;
    const wanted: Array<[number, number]> = [];
    if (this.fromDay === null || this.toDay === null) wanted.push([first, last]);
    else {
      if (first < this.fromDay) wanted.push([first, this.fromDay - DAY_MS]);
      if (last > this.toDay) wanted.push([this.toDay + DAY_MS, last]);
    }
    let changed = false;
    for (const [start, end] of wanted) {
      for (let chunk = start; chunk <= end; chunk += MAX_DAYS * DAY_MS) {
        const chunkEnd = Math.min(end, chunk + (MAX_DAYS - 1) * DAY_MS);
        try {
          const report = await this.api.json<CoverageReport>('coverage', coveragePath(kind, id), {
            from: day(chunk),
            to: day(chunkEnd),
          });
          this.interval = report.interval;
          for (const session of report.sessions) this.sessions.set(session.date, session);
          changed = true;
        } catch (error) {
          if (error instanceof ApiError && error.status === 400) {
            this.unavailable = error.problem?.detail ?? 'no exchange calendar';
            return false;
          }
          throw error;
        }
      }
      this.fromDay = Math.min(this.fromDay ?? start, start);
      this.toDay = Math.max(this.toDay ?? end, end);
    }
    return changed;
  }
}
