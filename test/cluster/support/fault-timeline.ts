import { Logger, type LoggerService } from '@nestjs/common';
import type { Client } from 'cassandra-driver';
import type { Sample } from './figures';

/** Something that happened at a time: an API log line, a driver event, a step of the test. */
export interface TimelineEvent {
  readonly at: number;
  readonly what: string;
}

/** Marks of the fault, to place each failure against: kill, restart, CQL answered, ring UN. */
export type FaultMarks = Readonly<Record<string, number>>;

const MAX_EVENTS = 2000;

/**
 * What a fault test needs to explain a failed request after the fact: the warnings and errors
 * the API logged (its 503 line names the driver error: class, code, coordinator), and what
 * the driver saw of the nodes (hosts up and down, its own warnings, its retries).
 */
export class FaultTimeline {
  readonly appLog: TimelineEvent[] = [];
  readonly driver: TimelineEvent[] = [];
  /** The driver's "Retrying request" infos, by second since the epoch. */
  readonly retriesBySecond = new Map<number, number>();

  /** Takes over Nest's logger (the API's own pino lines are silenced in tests) and keeps warnings and errors. */
  captureAppLog(): void {
    const keep =
      (level: string) =>
      (message: unknown, ...params: unknown[]): void => {
        if (this.appLog.length >= MAX_EVENTS) return;
        const context = params.at(-1);
        const text = message instanceof Error ? (message.stack ?? message.message) : String(message);
        this.appLog.push({
          at: Date.now(),
          what: `${level} ${typeof context === 'string' ? `[${context}] ` : ''}${text}`,
        });
      };
    const ignore = (): void => undefined;
    const capture: LoggerService = {
      log: ignore,
      debug: ignore,
      verbose: ignore,
      warn: keep('warn'),
      error: keep('error'),
    };
    Logger.overrideLogger(capture);
  }

  private lagTimer: NodeJS.Timeout | null = null;

  /**
   * Notes every stall of this process's event loop over `thresholdMs`: the API, its driver
   * and the test's HTTP client share it, so a stall delays all three at once (timeouts fire
   * before the answers that arrived meanwhile are read).
   */
  watchEventLoop(thresholdMs = 1000): void {
    const tickMs = 100;
    let last = Date.now();
    this.lagTimer = setInterval(() => {
      const now = Date.now();
      const lag = now - last - tickMs;
      if (lag > thresholdMs && this.driver.length < MAX_EVENTS) {
        this.driver.push({
          at: last,
          what: `test process event loop stalled ${lag} ms (until ${new Date(now).toISOString()})`,
        });
      }
      last = now;
    }, tickMs);
    this.lagTimer.unref();
  }

  stop(): void {
    if (this.lagTimer !== null) clearInterval(this.lagTimer);
  }

  /** Listens to the driver client the API reads through. */
  watchDriver(client: Client): void {
    const push = (what: string): void => {
      if (this.driver.length < MAX_EVENTS) this.driver.push({ at: Date.now(), what });
    };
    client.on('hostUp', (host: { address: string }) => push(`driver: host ${host.address} UP`));
    client.on('hostDown', (host: { address: string }) => push(`driver: host ${host.address} DOWN`));
    client.on('hostAdd', (host: { address: string }) => push(`driver: host ${host.address} added`));
    client.on('hostRemove', (host: { address: string }) => push(`driver: host ${host.address} removed`));
    client.on('log', (level: string, className: string, message: string) => {
      if (level === 'info' && message.startsWith('Retrying request')) {
        const second = Math.floor(Date.now() / 1000);
        this.retriesBySecond.set(second, (this.retriesBySecond.get(second) ?? 0) + 1);
      } else if (level === 'warning' || level === 'error') {
        push(`driver ${level} [${className}] ${message}`);
      } else if (level === 'info' && /not prepared|preparing|is considered|connection pool|UP|DOWN/i.test(message)) {
        push(`driver info [${className}] ${message}`);
      }
    });
  }

  /**
   * A failed request in full: when it started against each mark, how long it took, what came
   * back, and the API log lines written while it ran.
   */
  explain(sample: Sample, marks: FaultMarks): string {
    const ended = sample.startedAt + sample.ms;
    const lines = this.appLog.filter((event) => event.at >= sample.startedAt - 50 && event.at <= ended + 50);
    return [
      `${sample.outcome} after ${Math.round(sample.ms)} ms, started ${relative(sample.startedAt, marks)}: ${sample.detail ?? ''}`,
      ...lines.map((event) => `  api log ${relative(event.at, marks)}: ${event.what}`),
    ].join('\n');
  }

  /** The driver's events and retries in order, each placed against the marks. */
  driverTimeline(marks: FaultMarks): string[] {
    const retries = [...this.retriesBySecond.entries()].map(([second, count]) => ({
      at: second * 1000,
      what: `driver retried ${count} request(s) in this second`,
    }));
    return [...this.driver, ...retries]
      .sort((a, b) => a.at - b.at)
      .map((event) => `${relative(event.at, marks)}: ${event.what}`);
  }
}

/** "00:57:31.470 kill+31.2s restart+1.2s cql-2.0s …": a time (UTC, as in the nodes' logs) against every mark. */
export function relative(at: number, marks: FaultMarks): string {
  const clock = new Date(at).toISOString().slice(11, 23);
  return (
    `${clock} ` +
    Object.entries(marks)
      .map(([name, mark]) => {
        const seconds = (at - mark) / 1000;
        return `${name}${seconds >= 0 ? '+' : ''}${seconds.toFixed(1)}s`;
      })
      .join(' ')
  );
}
