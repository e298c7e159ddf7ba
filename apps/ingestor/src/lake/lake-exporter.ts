import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Injectable } from '@nestjs/common';
import {
  type Bucket,
  CatalogRepository,
  PartitionChangeRepository,
  type PagePosition,
  RangeReader,
  RollupRepository,
  SeriesExtentRepository,
  type SeriesKind,
  adjacentBucket,
  bucketEnd,
  bucketOf,
  bucketStart,
} from '@market/cassandra';
import { type ExportRow, exportColumns, parquetByteStream } from '@market/export';
import {
  type LakeManifest,
  type LakePartition,
  fileSha256,
  partitionDirectory,
  readManifest,
  removeStaleTemporaries,
  writeManifest,
} from './lake-manifest';

export type LakeTimeframe = '1m' | '1d';

export interface LakeRequest {
  readonly out: string;
  readonly timeframe: LakeTimeframe;
  /** The series to export; null for every series of that kind in the catalog. */
  readonly assets: readonly string[] | null;
  readonly commodities: readonly string[] | null;
  /** Months overlapping [from, to] are exported whole. */
  readonly from: Date;
  readonly to: Date;
}

export interface LakeProgress {
  readonly done: number;
  readonly total: number;
  readonly partition: string;
}

export interface LakeSummary {
  series: number;
  written: number;
  unchanged: number;
  removed: number;
  rows: number;
  bytes: number;
}

const FILE_NAME = 'data.parquet';
const PAGE_ROWS = 5000;
/** A month of one series is one partition: its empty buckets are few, never many. */
const MAX_EMPTY_BUCKETS = 2;
const BAR_COLUMNS = exportColumns(['ts', 'open', 'high', 'low', 'close', 'volume', 'source_id']);
const DAY_COLUMNS = exportColumns(['ts', 'open', 'high', 'low', 'close', 'volume', 'bar_count']);

interface SeriesRef {
  readonly kind: SeriesKind;
  readonly id: string;
}

/**
 * Writes a Hive-partitioned Parquet lake (kind=/id=/month=/data.parquet) and its manifest.
 * Incremental: a partition is read and rewritten only when its change marker (kept by the
 * series writer, cql/010) differs from the one the manifest recorded. Each file is replaced
 * by a rename, and the manifest after each partition, so an interrupted run leaves a
 * consistent lake and the next run carries on.
 */
@Injectable()
export class LakeExporter {
  constructor(
    private readonly catalog: CatalogRepository,
    private readonly ranges: RangeReader,
    private readonly changes: PartitionChangeRepository,
    private readonly extents: SeriesExtentRepository,
    private readonly rollups: RollupRepository,
  ) {}

  async export(request: LakeRequest, onProgress: (progress: LakeProgress) => void): Promise<LakeSummary> {
    fs.mkdirSync(request.out, { recursive: true });
    removeStaleTemporaries(request.out);
    let manifest = readManifest(request.out, request.timeframe);
    const series = await this.seriesOf(request);
    const plan: { ref: SeriesRef; month: Bucket; marker: string }[] = [];
    for (const ref of series) {
      const markers = await this.changes.changesOf(ref.kind, ref.id);
      for (const month of await this.monthsOf(ref, request)) {
        plan.push({ ref, month, marker: markerOf(markers, month, request.timeframe) });
      }
    }
    const summary: LakeSummary = { series: series.length, written: 0, unchanged: 0, removed: 0, rows: 0, bytes: 0 };
    for (const [index, { ref, month, marker }] of plan.entries()) {
      const key = partitionDirectory(ref.kind, ref.id, month);
      onProgress({ done: index, total: plan.length, partition: key });
      const known = manifest.partitions[key];
      // A month with no marker and no file was never written by the series writer since 010: read it once.
      if (known !== undefined && known.change_marker === marker) {
        summary.unchanged += 1;
        continue;
      }
      const written = await this.writePartition(request, ref, month, marker, key);
      const { [key]: _previous, ...others } = manifest.partitions;
      if (written === null) {
        if (known !== undefined) {
          fs.rmSync(path.join(request.out, known.file), { force: true });
          summary.removed += 1;
        }
        manifest = { ...manifest, partitions: others };
      } else {
        summary.written += 1;
        summary.rows += written.rows;
        summary.bytes += fs.statSync(path.join(request.out, written.file)).size;
        manifest = { ...manifest, partitions: { ...others, [key]: written } };
      }
      manifest = { ...manifest, updated_at: new Date().toISOString() };
      writeManifest(request.out, manifest);
    }
    onProgress({ done: plan.length, total: plan.length, partition: '' });
    if (plan.length > 0 && manifest.updated_at === '') writeManifest(request.out, withTime(manifest));
    return summary;
  }

  private async seriesOf(request: LakeRequest): Promise<SeriesRef[]> {
    const chosen = async (kind: SeriesKind, ids: readonly string[] | null): Promise<SeriesRef[]> => {
      if (ids !== null) {
        for (const id of ids) {
          if ((await this.catalog.get(kind, id)) === null) throw new LakeSeriesNotFoundError(kind, id);
        }
        return ids.map((id) => ({ kind, id }));
      }
      const all: SeriesRef[] = [];
      let pageState: string | null = null;
      do {
        const page = await this.catalog.list(kind, { fetchSize: 500, pageState });
        all.push(...page.entries.map((entry) => ({ kind, id: entry.id })));
        pageState = page.pageState;
      } while (pageState !== null);
      return all;
    };
    const everything = request.assets === null && request.commodities === null;
    return [
      ...(everything || request.assets !== null ? await chosen('asset', request.assets) : []),
      ...(everything || request.commodities !== null ? await chosen('commodity', request.commodities) : []),
    ];
  }

  /** The months of [from, to] that the series' extent overlaps (one more each side for local days). */
  private async monthsOf(ref: SeriesRef, request: LakeRequest): Promise<Bucket[]> {
    const extent = await this.extents.get(ref.kind, ref.id);
    if (extent === null) return [];
    const from = Math.max(extent.first.getTime(), request.from.getTime());
    const to = Math.min(extent.last.getTime(), request.to.getTime());
    if (from > to) return [];
    let first = bucketOf(new Date(from));
    let last = bucketOf(new Date(to));
    if (request.timeframe === '1d') [first, last] = [adjacentBucket(first, -1), adjacentBucket(last, 1)];
    const months: Bucket[] = [];
    for (let month = first; month <= last; month = adjacentBucket(month, 1)) months.push(month);
    return months;
  }

  /** Writes one partition's file; null when the month holds no rows. */
  private async writePartition(
    request: LakeRequest,
    ref: SeriesRef,
    month: Bucket,
    marker: string,
    key: string,
  ): Promise<LakePartition | null> {
    const rows = request.timeframe === '1m' ? this.barRows(ref, month) : this.dayRows(ref, month);
    const columns = request.timeframe === '1m' ? BAR_COLUMNS : DAY_COLUMNS;
    let count = 0;
    let firstTs = '';
    let lastTs = '';
    const bytes = await parquetByteStream(columns, async () => {
      const next = await rows.next();
      if (next.done === true) return null;
      count += next.value.length;
      firstTs ||= String(next.value[0]?.ts);
      lastTs = String(next.value.at(-1)?.ts);
      return next.value;
    });
    const directory = path.join(request.out, key);
    fs.mkdirSync(directory, { recursive: true });
    const target = path.join(directory, FILE_NAME);
    const temporary = `${target}.${process.pid}.tmp`;
    try {
      await pipeline(bytes, fs.createWriteStream(temporary));
    } catch (error) {
      fs.rmSync(temporary, { force: true });
      throw error;
    }
    if (count === 0) {
      fs.rmSync(temporary, { force: true });
      return null;
    }
    fs.renameSync(temporary, target);
    return {
      kind: ref.kind,
      id: ref.id,
      month,
      file: path.posix.join(key, FILE_NAME),
      rows: count,
      first_ts: firstTs,
      last_ts: lastTs,
      sha256: fileSha256(target),
      exported_at: new Date().toISOString(),
      change_marker: marker,
    };
  }

  /** The month's stored bars, a page at a time. */
  private async *barRows(ref: SeriesRef, month: Bucket): AsyncGenerator<ExportRow[]> {
    let position: PagePosition | null = null;
    do {
      const page = await this.ranges.readPage({
        kind: ref.kind,
        seriesId: ref.id,
        from: bucketStart(month),
        to: bucketEnd(month),
        order: 'asc',
        limit: PAGE_ROWS,
        position,
        maxEmptyBuckets: MAX_EMPTY_BUCKETS,
      });
      if (page.points.length > 0) {
        yield page.points.map((point) => ({
          ts: point.ts.toISOString(),
          open: point.open,
          high: point.high,
          low: point.low,
          close: point.price,
          volume: point.volume,
          source_id: point.sourceId,
        }));
      }
      position = page.next;
    } while (position !== null);
  }

  /** The daily rollups of the local days of this month (in each series' zone), as bars starting at the local midnight. */
  private async *dayRows(ref: SeriesRef, month: Bucket): AsyncGenerator<ExportRow[]> {
    const [year = 0, monthNumber = 1] = month.split('-').map(Number);
    const lastDay = new Date(Date.UTC(year, monthNumber, 0)).getUTCDate();
    const rows: ExportRow[] = [];
    for await (const day of this.rollups.days(ref.kind, ref.id, `${month}-01`, `${month}-${String(lastDay)}`)) {
      rows.push({
        ts: day.dayStart.toISOString(),
        open: day.open,
        high: day.high,
        low: day.low,
        close: day.close,
        volume: day.volume,
        bar_count: day.barCount,
      });
    }
    if (rows.length > 0) yield rows;
  }
}

/** A series named on the command line that the catalog does not hold. */
export class LakeSeriesNotFoundError extends Error {
  override readonly name = 'LakeSeriesNotFoundError';

  constructor(kind: SeriesKind, id: string) {
    super(`unknown ${kind} "${id}": it is not in the catalog`);
  }
}

/**
 * A partition's change marker: its bucket's counter ("-" when never marked). Daily bars of a
 * month are cut in the series' zone, so they may hold bars of the UTC months either side.
 */
function markerOf(markers: ReadonlyMap<Bucket, string>, month: Bucket, timeframe: LakeTimeframe): string {
  const of = (bucket: Bucket) => markers.get(bucket) ?? '-';
  if (timeframe === '1m') return of(month);
  return [adjacentBucket(month, -1), month, adjacentBucket(month, 1)].map(of).join('/');
}

function withTime(manifest: LakeManifest): LakeManifest {
  return { ...manifest, updated_at: new Date().toISOString() };
}
