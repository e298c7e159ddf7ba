/**
 * bench:read (h): the year of rollup.phase.ts (98,280 one-minute bars of one asset) exported
 * whole through the API as CSV and as Parquet, against (f), the raw driver draining the same
 * rows; and the API's peak resident memory while it streams those exports.
 */
import { readFileSync } from 'node:fs';
import { median } from '../median';

const RUNS = 5;
const RSS_SAMPLE_MS = 20;

export interface ExportReadResult {
  readonly csvMs: number;
  readonly csvBytes: number;
  readonly parquetMs: number;
  readonly parquetBytes: number;
  readonly rawMs: number;
  readonly rawRows: number;
  /** Highest VmRSS of the API process seen while the exports ran (MB); null off Linux. */
  readonly peakRssMb: number | null;
}

function rssMb(pid: number): number | null {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match === null ? null : Number(match[1]) / 1024;
  } catch {
    return null;
  }
}

/** Downloads one export to the end, counting its bytes as they arrive (nothing kept). */
async function download(url: string, apiKey: string): Promise<number> {
  const response = await fetch(url, { headers: { 'X-API-Key': apiKey } });
  if (!response.ok || response.body === null) throw new Error(`export answered ${response.status}`);
  let bytes = 0;
  for await (const chunk of response.body) bytes += (chunk as Uint8Array).length;
  return bytes;
}

/** Times RUNS of CSV, Parquet and the raw drain alternately (after one untimed of each); medians. */
export async function timeExports(
  exportUrl: (format: 'csv' | 'parquet') => string,
  apiKey: string,
  apiPid: number,
  rawDrain: () => Promise<number>,
): Promise<ExportReadResult> {
  await download(exportUrl('csv'), apiKey);
  await download(exportUrl('parquet'), apiKey);
  await rawDrain();
  let peak: number | null = null;
  const sampler = setInterval(() => {
    const rss = rssMb(apiPid);
    if (rss !== null) peak = Math.max(peak ?? 0, rss);
  }, RSS_SAMPLE_MS);
  const csv: number[] = [];
  const parquet: number[] = [];
  const raw: number[] = [];
  let [csvBytes, parquetBytes, rawRows] = [0, 0, 0];
  try {
    for (let index = 0; index < RUNS; index += 1) {
      let started = performance.now();
      csvBytes = await download(exportUrl('csv'), apiKey);
      csv.push(performance.now() - started);
      started = performance.now();
      parquetBytes = await download(exportUrl('parquet'), apiKey);
      parquet.push(performance.now() - started);
      started = performance.now();
      rawRows = await rawDrain();
      raw.push(performance.now() - started);
    }
  } finally {
    clearInterval(sampler);
  }
  return {
    csvMs: median(csv),
    csvBytes,
    parquetMs: median(parquet),
    parquetBytes,
    rawMs: median(raw),
    rawRows,
    peakRssMb: peak,
  };
}
