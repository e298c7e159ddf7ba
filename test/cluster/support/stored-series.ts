import { type Client, types } from 'cassandra-driver';
import { bucketSlices, decimalText } from '@market/cassandra';
import { generateSyntheticBars } from '../../../apps/ingestor/src/providers/synthetic/synthetic.provider';
import type { ProviderBar } from '../../../apps/ingestor/src/providers/price-provider.interface';

/** The seed every ingestor of the suite uses (the default SYNTHETIC_SEED). */
const SEED = 'market-warehouse';

/** The synthetic provider's bars of a symbol over [from, to): a pure function, so the expected data. */
export function expectedBars(symbol: string, from: Date, to: Date): ProviderBar[] {
  return [...generateSyntheticBars({ seed: SEED, symbol }, { from, to, interval: '1m' })];
}

export interface SeriesCheck {
  readonly expected: number;
  readonly stored: number;
  /** Expected bars with no row. */
  readonly missing: number;
  /** Rows in the range that the source never produced. */
  readonly unexpected: number;
  /** Rows whose open, high, low, close or volume differ from the source's bar. */
  readonly mismatched: number;
  readonly firstProblem: string | null;
}

const text = (value: unknown): string | null =>
  value instanceof types.BigDecimal ? decimalText(value) : value instanceof types.Long ? value.toString() : null;

/**
 * Reads every row of an asset over [from, to) back at QUORUM (two of three replicas, so a
 * row acknowledged at LOCAL_QUORUM must be seen whichever node missed it) and compares it,
 * value by value, with the bars the synthetic source produces for that range.
 */
export async function checkStoredSeries(client: Client, keyspace: string, assetId: string, from: Date, to: Date) {
  const expected = new Map(expectedBars(assetId, from, to).map((bar) => [bar.ts.getTime(), bar]));
  let stored = 0;
  let unexpected = 0;
  let mismatched = 0;
  let firstProblem: string | null = null;
  const seen = new Set<number>();
  const cql = `SELECT ts, price, open, high, low, volume FROM ${keyspace}.asset_timeseries WHERE asset_id = ? AND bucket = ? AND ts >= ? AND ts < ?`;
  for (const slice of bucketSlices(from, new Date(to.getTime() - 1))) {
    let pageState: string | undefined;
    do {
      const result = await client.execute(cql, [assetId, slice.bucket, slice.from, to], {
        prepare: true,
        consistency: types.consistencies.quorum,
        fetchSize: 5000,
        isIdempotent: true,
        ...(pageState === undefined ? {} : { pageState }),
      });
      for (const row of result.rows) {
        stored += 1;
        const ts = (row.get('ts') as Date).getTime();
        seen.add(ts);
        const bar = expected.get(ts);
        if (bar === undefined) {
          unexpected += 1;
          firstProblem ??= `unexpected row at ${new Date(ts).toISOString()}`;
          continue;
        }
        const actual = [row.get('open'), row.get('high'), row.get('low'), row.get('price'), row.get('volume')].map(
          text,
        );
        const wanted = [bar.open, bar.high, bar.low, bar.close, bar.volume];
        if (actual.some((value, index) => value !== wanted[index])) {
          mismatched += 1;
          firstProblem ??= `row at ${new Date(ts).toISOString()}: ${actual.join('/')} instead of ${wanted.join('/')}`;
        }
      }
      pageState = result.pageState ?? undefined;
    } while (pageState !== undefined);
  }
  const missingTs = [...expected.keys()].filter((ts) => !seen.has(ts));
  if (missingTs.length > 0 && firstProblem === null) {
    firstProblem = `no row at ${new Date(missingTs[0] ?? 0).toISOString()}`;
  }
  return {
    expected: expected.size,
    stored,
    missing: missingTs.length,
    unexpected,
    mismatched,
    firstProblem,
  } satisfies SeriesCheck;
}
