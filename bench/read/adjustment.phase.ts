/**
 * bench:read phase (l): the month drain of (b) with `adjustment=all`, against the same drain
 * raw, alternating, in the same run. The benchmark asset gets the corporate actions of a
 * long-listed dividend payer: twenty years of quarterly dividends and two splits, two of
 * them inside the drained month, so every page reads the series' actions and adjusts 1,000
 * bars, and the dividends' reference closes are read (then cached by the API).
 */
import { type Client } from 'cassandra-driver';
import { median } from '../median';

const RUNS = 9;

/** Writes the benchmark asset's actions; returns how many. */
export async function seedActions(client: Client, keyspace: string, asset: string): Promise<number> {
  const insert =
    `INSERT INTO ${keyspace}.corporate_actions (series_kind, series_id, ex_date, action_type, source_id, ` +
    'numerator, denominator, amount, currency) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)';
  const rows: unknown[][] = [];
  for (let year = 2006; year <= 2025; year += 1) {
    for (const month of ['02', '05', '08', '11']) {
      const exDate = `${year}-${month}-${year === 2025 && month === '08' ? '11' : '08'}`;
      rows.push(['asset', asset, exDate, 'dividend', 'bench', null, null, '0.24', 'USD']);
    }
  }
  rows.push(['asset', asset, '2014-06-09', 'split', 'bench', 7, 1, null, null]);
  rows.push(['asset', asset, '2025-08-18', 'split', 'bench', 4, 1, null, null]);
  for (const row of rows) await client.execute(insert, row, { prepare: true });
  return rows.length;
}

/** Medians of RUNS drains each, raw and adjusted alternating. */
export async function timeAdjustedDrains(
  raw: () => Promise<number>,
  adjusted: () => Promise<number>,
): Promise<{ rawMs: number; adjustedMs: number; rows: number }> {
  const times = { raw: [] as number[], adjusted: [] as number[] };
  let rows = 0;
  for (let index = 0; index < RUNS; index += 1) {
    for (const [side, drain] of [
      ['raw', raw],
      ['adjusted', adjusted],
    ] as const) {
      const started = performance.now();
      rows = await drain();
      times[side].push(performance.now() - started);
    }
  }
  return { rawMs: median(times.raw), adjustedMs: median(times.adjusted), rows };
}
