import { setTimeout as sleep } from 'node:timers/promises';
import type { IngestService } from '../../../apps/ingestor/src/ingest/ingest.service';
import type { Sample } from './figures';
import { expectedBars } from './stored-series';

const DAY_MS = 86_400_000;

/** One chunk the writer sent: a trading day of one asset's minute bars. */
export interface WriteSample extends Sample {
  readonly assetId: string;
  readonly day: Date;
}

export interface WriteLoadOptions {
  readonly assets: readonly string[];
  /** First day written (UTC midnight); days without a session are skipped. */
  readonly firstDay: Date;
  /** One chunk starts at most every `periodMs`. */
  readonly periodMs: number;
  readonly maxChunks: number;
}

/**
 * Writes through the ingestor's path, one trading day of one asset per chunk, assets in
 * turn, at a steady pace until stopped. Every chunk is timed; a chunk that throws is a
 * failed write (and the loop goes on with the next).
 */
export class WriteLoad {
  readonly samples: WriteSample[] = [];
  private stopped = false;
  private loop: Promise<void> | null = null;

  constructor(
    private readonly ingest: IngestService,
    private readonly options: WriteLoadOptions,
  ) {}

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<WriteSample[]> {
    this.stopped = true;
    await this.loop;
    return this.samples;
  }

  /** The days each asset was written, for reading them back. */
  writtenRange(assetId: string): { from: Date; to: Date } | null {
    const days = this.samples.filter((sample) => sample.assetId === assetId).map((sample) => sample.day.getTime());
    if (days.length === 0) return null;
    return { from: new Date(Math.min(...days)), to: new Date(Math.max(...days) + DAY_MS) };
  }

  private async run(): Promise<void> {
    const { assets, periodMs, maxChunks } = this.options;
    const nextDay = new Map(assets.map((asset) => [asset, this.options.firstDay.getTime()]));
    for (let index = 0; !this.stopped && index < maxChunks; index += 1) {
      const assetId = assets[index % assets.length] ?? '';
      let day = nextDay.get(assetId) ?? 0;
      // Skip weekends and holidays: the synthetic source has no session there.
      while (expectedBars(assetId, new Date(day), new Date(day + DAY_MS)).length === 0) day += DAY_MS;
      nextDay.set(assetId, day + DAY_MS);
      const startedAt = Date.now();
      const began = performance.now();
      const window = { from: new Date(day), to: new Date(day + DAY_MS) };
      try {
        const summary = await this.ingest.ingest(
          { kind: 'asset', seriesId: assetId, provider: 'synthetic', symbol: assetId, interval: '1m' },
          window,
        );
        const ms = performance.now() - began;
        this.samples.push({ startedAt, ms, ok: true, outcome: 'ok', rows: summary.written, assetId, day: window.from });
      } catch (error) {
        const ms = performance.now() - began;
        const outcome = error instanceof Error ? error.name : 'error';
        const detail = `${assetId} ${window.from.toISOString().slice(0, 10)} -> ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
        this.samples.push({ startedAt, ms, ok: false, outcome, rows: 0, assetId, day: window.from, detail });
      }
      await sleep(Math.max(0, startedAt + periodMs - Date.now()));
    }
  }
}
