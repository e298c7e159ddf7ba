/**
 * bench:read (h): the year of rollup.phase.ts (98,280 one-minute bars of one asset) exported
 * whole through the API as CSV and as Parquet, against (f), the raw driver draining the same
 * rows; and the API's peak resident memory while it streams those exports.
 */
import { readFileSync } from 'node:fs';
import { median } from '../median';
import { cpuMsSince, processCpuMs } from '../cpu-time';

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
  /** The API's VmRSS just before (h), after whatever the bench asked of it earlier (MB); null off Linux. */
  readonly rssBeforeMb: number | null;
  /** Median CPU milliseconds per export (or drain) of the API and of the local node; null where unknown. */
  readonly cpu: Readonly<Record<'csv' | 'parquet' | 'raw', { api: number | null; cassandra: number | null }>>;
}

/** CPU of one timed run: the API's and the node's milliseconds while it ran. */
interface RunCpu {
  api: (number | null)[];
  cassandra: (number | null)[];
}

function medianOrNull(values: readonly (number | null)[]): number | null {
  return values.some((value) => value === null) ? null : median(values as number[]);
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
  cassandraPid: number | null,
  rawDrain: () => Promise<number>,
): Promise<ExportReadResult> {
  const rssBeforeMb = rssMb(apiPid);
  await download(exportUrl('csv'), apiKey);
  await download(exportUrl('parquet'), apiKey);
  await rawDrain();
  let peak: number | null = null;
  const sampler = setInterval(() => {
    const rss = rssMb(apiPid);
    if (rss !== null) peak = Math.max(peak ?? 0, rss);
  }, RSS_SAMPLE_MS);
  const wall = { csv: [] as number[], parquet: [] as number[], raw: [] as number[] };
  const cpu: Record<keyof typeof wall, RunCpu> = {
    csv: { api: [], cassandra: [] },
    parquet: { api: [], cassandra: [] },
    raw: { api: [], cassandra: [] },
  };
  /** Runs one side once, timing its wall clock and both processes' CPU; returns its count. */
  const timed = async (side: keyof typeof wall, run: () => Promise<number>): Promise<number> => {
    const [apiBefore, cassandraBefore] = [processCpuMs(apiPid), processCpuMs(cassandraPid)];
    const started = performance.now();
    const count = await run();
    wall[side].push(performance.now() - started);
    cpu[side].api.push(cpuMsSince(apiPid, apiBefore));
    cpu[side].cassandra.push(cpuMsSince(cassandraPid, cassandraBefore));
    return count;
  };
  let [csvBytes, parquetBytes, rawRows] = [0, 0, 0];
  try {
    for (let index = 0; index < RUNS; index += 1) {
      csvBytes = await timed('csv', () => download(exportUrl('csv'), apiKey));
      parquetBytes = await timed('parquet', () => download(exportUrl('parquet'), apiKey));
      rawRows = await timed('raw', rawDrain);
    }
  } finally {
    clearInterval(sampler);
  }
  const cpuOf = (side: keyof typeof wall) => ({
    api: medianOrNull(cpu[side].api),
    cassandra: medianOrNull(cpu[side].cassandra),
  });
  return {
    csvMs: median(wall.csv),
    csvBytes,
    parquetMs: median(wall.parquet),
    parquetBytes,
    rawMs: median(wall.raw),
    rawRows,
    peakRssMb: peak,
    rssBeforeMb,
    cpu: { csv: cpuOf('csv'), parquet: cpuOf('parquet'), raw: cpuOf('raw') },
  };
}
