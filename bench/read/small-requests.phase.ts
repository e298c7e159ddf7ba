/**
 * bench:read (c), (c′) and (i): small requests under load (issue #25). Each load is
 * autocannon with 32 connections, auth on:
 *   (c)  the API's first page (limit 100) of the bench's month;
 *   (c′) the same first page from the floor server (floor-server.ts);
 *   (i)  the API's latest quote, and its /health/live (no Cassandra at all).
 * Every round runs each load once, in turn, so drift (the shared machine's other work, the
 * node's compactions) falls on all of them alike; figures are medians over the rounds, and
 * the ratio (c)/(c′) is the median of each round's own ratio. The server's CPU per request
 * is printed too: on a machine shared with other work, req/s follows the CPU share a process
 * gets, while CPU per request is the server's own cost.
 */
import { loadavg } from 'node:os';
import autocannon from 'autocannon';
import { cpuMsSince, processCpuMs } from '../cpu-time';
import { median } from '../median';

export const FIRST_PAGE_CONNECTIONS = 32;
const ROUNDS = Number(process.env.BENCH_LOAD_ROUNDS ?? 5);
const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 5);
/** Not counted: the first second of a load is 32 connections opening, not the steady state. */
const WARM_UP_SECONDS = 1;

export interface LoadTarget {
  readonly label: string;
  readonly url: string;
  /** The process serving it, for its CPU per request. */
  readonly serverPid: number | null;
}

export interface LoadFigures {
  readonly label: string;
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly non2xx: number;
  /** The server's CPU milliseconds per request (median over rounds); null where it cannot be read. */
  readonly cpuMsPerRequest: number | null;
}

export interface SmallRequestResults {
  readonly figures: readonly LoadFigures[];
  /** The median over rounds of (the first target's req/s) / (the second's). */
  readonly firstRatio: number;
  /** The 1-minute load average before and after the phase (the machine is shared). */
  readonly loadAverage: readonly [number, number];
}

async function load(target: LoadTarget, apiKey: string, seconds: number) {
  return autocannon({
    url: target.url,
    connections: FIRST_PAGE_CONNECTIONS,
    headers: { 'X-API-Key': apiKey },
    duration: seconds,
  });
}

/** Runs every target once per round, in turn; the first two are the pair whose ratio is taken. */
export async function timeSmallRequests(targets: readonly LoadTarget[], apiKey: string): Promise<SmallRequestResults> {
  const before = loadavg()[0] ?? 0;
  const rounds = targets.map(() => ({
    rps: [] as number[],
    p50: [] as number[],
    p99: [] as number[],
    cpu: [] as number[],
    non2xx: 0,
  }));
  const ratios: number[] = [];
  for (const target of targets) await load(target, apiKey, WARM_UP_SECONDS);
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const [index, target] of targets.entries()) {
      const cpuBefore = processCpuMs(target.serverPid);
      const result = await load(target, apiKey, LOAD_SECONDS);
      const cpu = cpuMsSince(target.serverPid, cpuBefore);
      const figures = rounds[index];
      if (figures === undefined) continue;
      if (cpu !== null && result.requests.total > 0) figures.cpu.push(cpu / result.requests.total);
      figures.rps.push(result.requests.average);
      figures.p50.push(result.latency.p50);
      figures.p99.push(result.latency.p99);
      figures.non2xx += result.non2xx + result.errors;
    }
    const [first, second] = rounds;
    if (first !== undefined && second !== undefined) ratios.push((first.rps.at(-1) ?? 0) / (second.rps.at(-1) ?? 1));
  }
  return {
    figures: targets.map((target, index) => {
      const figures = rounds[index] ?? { rps: [], p50: [], p99: [], cpu: [], non2xx: 0 };
      return {
        label: target.label,
        requestsPerSecond: median(figures.rps),
        p50: median(figures.p50),
        p99: median(figures.p99),
        non2xx: figures.non2xx,
        cpuMsPerRequest: figures.cpu.length === 0 ? null : median(figures.cpu),
      };
    }),
    firstRatio: median(ratios),
    loadAverage: [before, loadavg()[0] ?? 0],
  };
}

/** One printed line per target: req/s, p50 and p99 (medians over the rounds). */
export function smallRequestLines(results: SmallRequestResults): string[] {
  return [
    `small requests: ${FIRST_PAGE_CONNECTIONS} connections, auth on, median of ${ROUNDS} rounds of ${LOAD_SECONDS} s, ` +
      `load average ${results.loadAverage[0].toFixed(1)} -> ${results.loadAverage[1].toFixed(1)}`,
    ...results.figures.map(
      ({ label, requestsPerSecond, p50, p99, non2xx, cpuMsPerRequest }) =>
        `${label.padEnd(26)}${Math.round(requestsPerSecond).toString().padStart(6)} req/s  p50 ${p50} ms  p99 ${p99} ms` +
        `  server CPU ${cpuMsPerRequest === null ? '-' : cpuMsPerRequest.toFixed(2)} ms/req` +
        (non2xx === 0 ? '' : `  (${non2xx} non-2xx or errors)`),
    ),
  ];
}
