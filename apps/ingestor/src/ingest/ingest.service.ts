import { Injectable, Logger } from '@nestjs/common';
import {
  CatalogRepository,
  type CheckpointKey,
  DataSourceRepository,
  IngestStateRepository,
  SeriesWriter,
} from '@market/cassandra';
import {
  type BarInterval,
  DEFAULT_TIME_ZONE,
  type SeriesKind,
  type TimeZone,
  barStartMs,
  catalogTimeZone,
  parseTimeZone,
} from '@market/domain';
import { type RejectReason, validateBars } from '../normalisation/bar-validator';
import type { FetchRequest, PriceProvider, ProviderBar } from '../providers/price-provider.interface';
import {
  ProviderAuthError,
  ProviderPayloadError,
  ProviderRateLimitError,
  ProviderUnavailableError,
  ProviderUnknownSymbolError,
} from '../providers/provider-errors';
import { ProviderRegistry } from '../providers/provider-registry';
import { SeriesIntervalError } from './ingest-errors';
import { IngestMetrics, type ProviderRequestOutcome } from './ingest-metrics';
import { RollupBatches } from './rollup-batches';

/** A series to ingest and where its bars come from. */
export interface SeriesTarget {
  readonly kind: SeriesKind;
  readonly seriesId: string;
  readonly provider: string;
  readonly symbol: string;
  readonly interval: BarInterval;
  readonly name?: string;
  readonly meta?: Readonly<Record<string, string>>;
}

export interface TimeWindow {
  /** Inclusive. */
  readonly from: Date;
  /** Exclusive. */
  readonly to: Date;
}

export interface ChunkProgress {
  readonly window: TimeWindow;
  readonly done: TimeWindow;
  readonly written: number;
  readonly rejected: number;
}

export interface IngestSummary {
  readonly written: number;
  readonly rejected: Readonly<Partial<Record<RejectReason, number>>>;
  readonly lastTs: Date | null;
  readonly durationMs: number;
}

export interface IngestOptions {
  readonly signal?: AbortSignal;
  /** Save a checkpoint after every chunk that is durably written. */
  readonly checkpoint?: boolean;
  /**
   * Save a backfill run's checkpoint after every chunk durably written, under its own key;
   * the last save wins, so a restarted run moves it back.
   */
  readonly backfillCheckpoint?: CheckpointKey;
  readonly onChunk?: (progress: ChunkProgress) => void;
  /** Called between chunks, e.g. to renew a job lease; a rejection stops the run. */
  readonly beforeChunk?: () => Promise<void>;
  /** Bars from another origin (a CSV file) instead of the provider's API. */
  readonly bars?: AsyncIterable<ProviderBar>;
}

/** The outcome label of a failed provider fetch. */
export function providerOutcome(error: unknown): ProviderRequestOutcome {
  if (error instanceof ProviderAuthError) return 'auth_failed';
  if (error instanceof ProviderRateLimitError) return 'rate_limited';
  if (error instanceof ProviderUnavailableError) return 'unavailable';
  if (error instanceof ProviderUnknownSymbolError) return 'unknown_symbol';
  if (error instanceof ProviderPayloadError) return 'bad_payload';
  return 'error';
}

/**
 * A promise that will be awaited later: its rejection is not "unhandled" in the meantime
 * (the loop may stop first, e.g. on a failed write), and still reaches whoever awaits it.
 */
function awaitedLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

const DAY_MS = 86_400_000;
/** How much of a window one provider request covers: small for minute bars, a year for daily bars. */
const CHUNK_MS: Readonly<Record<BarInterval, number>> = {
  '1m': DAY_MS,
  '5m': 5 * DAY_MS,
  '15m': 10 * DAY_MS,
  '1h': 30 * DAY_MS,
  '1d': 365 * DAY_MS,
};

/** The chunks of a window, in order; each ends where the next begins. */
export function windowChunks(window: TimeWindow, interval: BarInterval): TimeWindow[] {
  const chunks: TimeWindow[] = [];
  for (let from = window.from.getTime(); from < window.to.getTime(); from += CHUNK_MS[interval]) {
    chunks.push({ from: new Date(from), to: new Date(Math.min(from + CHUNK_MS[interval], window.to.getTime())) });
  }
  return chunks;
}

/** The end of the last complete bar before `now`: live jobs only take bars that can no longer change. */
export function completedBarsEnd(now: Date, interval: BarInterval): Date {
  return new Date(barStartMs(now.getTime(), interval));
}

/**
 * Fetch → validate → write, chunk by chunk, so memory stays bounded by one chunk however
 * long the window. Rejected bars are counted by reason and logged with their source, never
 * written. The chunks' follow-ups (daily rollups of their days, partition change markers,
 * latest quote) are completed once per batch of chunks (rollup-batches.ts). With
 * `checkpoint`, the end of every batch whose base rows and follow-ups are durable is recorded, so a restart resumes there: nothing re-downloaded, nothing
 * skipped, no rollup left stale.
 */
@Injectable()
export class IngestService {
  private readonly logger = new Logger(IngestService.name);
  /** The exchange zone of every series registered by this process, by registration key. */
  private readonly registered = new Map<string, TimeZone>();

  constructor(
    readonly providers: ProviderRegistry,
    private readonly writer: SeriesWriter,
    private readonly catalog: CatalogRepository,
    private readonly sources: DataSourceRepository,
    private readonly state: IngestStateRepository,
    private readonly metrics: IngestMetrics,
  ) {}

  checkpointKey(target: SeriesTarget): CheckpointKey {
    return { sourceId: target.provider, kind: target.kind, seriesId: target.seriesId };
  }

  async ingest(target: SeriesTarget, window: TimeWindow, options: IngestOptions = {}): Promise<IngestSummary> {
    const started = Date.now();
    const provider = this.providers.get(target.provider);
    const zone = await this.register(target, provider);
    const rejected: Partial<Record<RejectReason, number>> = {};
    let written = 0;
    let lastTs: Date | null = null;
    const rollups = new RollupBatches((followUps) =>
      this.writer.completeWrites(target.kind, target.seriesId, zone, followUps),
    );
    const saveCheckpoints = async (end: Date): Promise<void> => {
      if (options.checkpoint === true) await this.state.saveCheckpoint(this.checkpointKey(target), end);
      if (options.backfillCheckpoint !== undefined) await this.state.moveCheckpoint(options.backfillCheckpoint, end);
    };
    let writtenUpTo: Date | null = null;
    const record = async (chunk: TimeWindow, bars: readonly ProviderBar[]): Promise<void> => {
      const result = validateBars(bars, new Date());
      for (const { bar, reason } of result.rejected) {
        rejected[reason] = (rejected[reason] ?? 0) + 1;
        this.metrics.rowsRejected(provider.id, reason);
        this.logger.warn(`rejected ${target.provider} ${target.symbol} bar at ${bar.ts.toISOString()}: ${reason}`);
      }
      const followUps = await this.writer.writeBars(target.kind, target.seriesId, provider.id, result.accepted, zone);
      this.metrics.rowsWritten(provider.id, result.accepted.length);
      written += result.accepted.length;
      const newest = result.accepted.at(-1)?.ts;
      if (newest !== undefined && (lastTs === null || newest > lastTs)) lastTs = newest;
      writtenUpTo = chunk.to;
      if (rollups.add(followUps)) await rollups.flush(() => saveCheckpoints(chunk.to));
      const rejectedCount = Object.values(rejected).reduce((total, count) => total + count, 0);
      options.onChunk?.({ window, done: { from: window.from, to: chunk.to }, written, rejected: rejectedCount });
    };

    try {
      await this.fetchAndRecord(target, provider, window, record, options);
      const end: Date | null = writtenUpTo;
      if (rollups.hasPending && end !== null) await rollups.flush(() => saveCheckpoints(end));
      await rollups.settle();
    } catch (error) {
      const end: Date | null = writtenUpTo;
      await rollups.abandon(end === null ? null : () => saveCheckpoints(end));
      throw error;
    }
    return { written, rejected, lastTs, durationMs: Date.now() - started };
  }

  /** Hands the window's bars to `record`, chunk by chunk: the provider's, or the stream's. */
  private async fetchAndRecord(
    target: SeriesTarget,
    provider: PriceProvider,
    window: TimeWindow,
    record: (chunk: TimeWindow, bars: readonly ProviderBar[]) => Promise<void>,
    options: IngestOptions,
  ): Promise<void> {
    if (options.bars !== undefined) {
      await this.ingestStream(options.bars, window, record, options);
    } else {
      const fetchChunk = (chunk: TimeWindow): Promise<ProviderBar[]> =>
        this.fetch(
          provider,
          { symbol: target.symbol, from: chunk.from, to: chunk.to, interval: target.interval },
          options.signal,
        );
      const chunks = windowChunks(window, target.interval);
      // One chunk ahead: the next download (or generation) runs while this chunk is written,
      // so neither the provider nor Cassandra waits on the other. Memory stays at two chunks.
      let prefetched: Promise<ProviderBar[]> | null = null;
      for (const [index, chunk] of chunks.entries()) {
        options.signal?.throwIfAborted();
        await options.beforeChunk?.();
        const bars = await (prefetched ?? fetchChunk(chunk));
        const following = chunks[index + 1];
        prefetched = following === undefined ? null : awaitedLater(fetchChunk(following));
        await record(chunk, bars);
      }
    }
  }

  /** One provider fetch, counted by outcome (provider_requests_total). */
  private async fetch(provider: PriceProvider, request: FetchRequest, signal?: AbortSignal): Promise<ProviderBar[]> {
    try {
      const bars = await provider.fetchBars(request, signal);
      this.metrics.providerRequest(provider.id, 'ok');
      return bars;
    } catch (error) {
      if (!(signal?.aborted ?? false)) this.metrics.providerRequest(provider.id, providerOutcome(error));
      throw error;
    }
  }

  /** Bars from a stream (CSV import), written in slices of a few thousand. */
  private async ingestStream(
    bars: AsyncIterable<ProviderBar>,
    window: TimeWindow,
    record: (chunk: TimeWindow, bars: readonly ProviderBar[]) => Promise<void>,
    options: IngestOptions,
  ): Promise<void> {
    const SLICE = 5000;
    let slice: ProviderBar[] = [];
    for await (const bar of bars) {
      options.signal?.throwIfAborted();
      if (bar.ts < window.from || bar.ts >= window.to) continue;
      slice.push(bar);
      if (slice.length === SLICE) {
        await record({ from: window.from, to: new Date((slice.at(-1)?.ts.getTime() ?? 0) + 1) }, slice);
        slice = [];
      }
    }
    await record({ from: window.from, to: window.to }, slice);
  }

  /**
   * Makes the series and its source visible in the catalog (once per process, series and
   * interval), after checking that the series is not stored at another interval: the one
   * place every write (backfill, import, job) passes before its first row. Returns the
   * series' exchange zone (catalogTimeZone of the entry it writes), whose days its rollups follow.
   */
  private async register(target: SeriesTarget, provider: PriceProvider): Promise<TimeZone> {
    const key = `${target.kind}:${target.seriesId}:${provider.id}:${target.interval}`;
    const known = this.registered.get(key);
    if (known !== undefined) return known;
    const entry = await this.catalog.get(target.kind, target.seriesId);
    const stored = entry?.meta.interval;
    if (stored !== undefined && stored !== target.interval) {
      throw new SeriesIntervalError(target.kind, target.seriesId, stored, target.interval);
    }
    // Every upsert states the zone, so entries written before meta.timezone existed gain it
    // on their series' next ingest (the API fills it by the same rule meanwhile).
    const meta = {
      interval: target.interval,
      source: provider.id,
      timezone: provider.timeZone ?? DEFAULT_TIME_ZONE,
      ...(provider.calendar === undefined ? {} : { calendar: provider.calendar }),
      ...target.meta,
    };
    // The zone the API reads this entry with (the same rule), so rollups are cut in it.
    const zone = parseTimeZone(catalogTimeZone(meta));
    await this.catalog.upsert(target.kind, {
      id: target.seriesId,
      symbol: target.symbol,
      name: target.name ?? target.seriesId,
      meta,
    });
    await this.sources.upsert({
      sourceId: provider.id,
      name: provider.name,
      url: provider.url,
      meta: {
        intervals: provider.intervals.join(','),
        requests_per_second: String(provider.rateLimit.requestsPerSecond),
      },
    });
    this.registered.set(key, zone);
    return zone;
  }
}
