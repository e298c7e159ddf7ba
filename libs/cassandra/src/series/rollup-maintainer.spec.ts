import { parseTimeZone } from '@market/domain';
import type { PricePoint } from '../price-point';
import type {
  DailyRollupValues,
  RollupReplaceOutcome,
  RollupRepository,
  RollupVersion,
} from '../repositories/rollup.repository';
import type { SlicePage, TimeSeriesRepository } from '../repositories/time-series.repository';
import { localDayNamed } from './local-days';
import { RollupContentionError, RollupMaintainer } from './rollup-maintainer';

const UTC = parseTimeZone('UTC');
const DAY = localDayNamed('2025-08-01', UTC);

function point(iso: string, price: string): PricePoint {
  return { ts: new Date(iso), price, open: null, high: null, low: null, volume: 1, sourceId: 'test' };
}

/**
 * A store in memory that records the order of calls: base rows per read (each read may see
 * a different state, as a concurrent writer would make it), and a scripted sequence of
 * compare-and-set outcomes.
 */
function fakeStore(options: { reads: PricePoint[][]; versions: RollupVersion[]; outcomes: RollupReplaceOutcome[] }) {
  const calls: string[] = [];
  const written: { values: DailyRollupValues | null; expected: RollupVersion }[] = [];
  let read = 0;
  const timeSeries = {
    readSlice: (): Promise<SlicePage> => {
      calls.push('read base');
      const points = options.reads[Math.min(read, options.reads.length - 1)] ?? [];
      read += 1;
      return Promise.resolve({ points, pageState: null });
    },
  } as unknown as TimeSeriesRepository;
  const rollups = {
    version: (): Promise<RollupVersion> => {
      calls.push('read version');
      return Promise.resolve(options.versions.shift() ?? null);
    },
    replace: (
      _kind: unknown,
      _id: unknown,
      _day: unknown,
      _zone: unknown,
      values: DailyRollupValues | null,
      expected: RollupVersion,
    ): Promise<RollupReplaceOutcome> => {
      calls.push(`replace if ${String(expected)}`);
      written.push({ values, expected });
      return Promise.resolve(options.outcomes.shift() ?? { status: 'applied' });
    },
  } as unknown as RollupRepository;
  return { maintainer: new RollupMaintainer(timeSeries, rollups, 2), calls, written };
}

describe('RollupMaintainer.recompute', () => {
  it('reads the version before the base rows, and replaces on that version', async () => {
    const store = fakeStore({ reads: [[point('2025-08-01T10:00:00Z', '5.0')]], versions: [3], outcomes: [] });
    await store.maintainer.recompute('asset', 'X', UTC, DAY);
    expect(store.calls).toEqual(['read version', 'read base', 'replace if 3']);
    expect(store.written[0]?.values).toMatchObject({ open: '5.0', close: '5.0', barCount: 1, volume: 1n });
  });

  it('after a lost round reads the base rows again and retries on the version the transaction returned', async () => {
    const store = fakeStore({
      reads: [[point('2025-08-01T10:00:00Z', '5.0')], [point('2025-08-01T10:00:00Z', '6.0')]],
      versions: [null],
      outcomes: [{ status: 'lost', current: 1 }, { status: 'applied' }],
    });
    await store.maintainer.recompute('asset', 'X', UTC, DAY);
    expect(store.calls).toEqual(['read version', 'read base', 'replace if null', 'read base', 'replace if 1']);
    expect(store.written[1]?.values?.close).toBe('6.0');
  });

  it('after a timed-out transaction reads the version again before the base rows', async () => {
    const store = fakeStore({
      reads: [[point('2025-08-01T10:00:00Z', '5.0')]],
      versions: [2, 3],
      outcomes: [{ status: 'unknown' }, { status: 'applied' }],
    });
    await store.maintainer.recompute('asset', 'X', UTC, DAY);
    expect(store.calls).toEqual([
      'read version',
      'read base',
      'replace if 2',
      'read version',
      'read base',
      'replace if 3',
    ]);
  });

  it('writes nothing for a day with no bars and no row, and keeps an existing row as an empty day', async () => {
    const absent = fakeStore({ reads: [[]], versions: [null], outcomes: [] });
    await absent.maintainer.recompute('asset', 'X', UTC, DAY);
    expect(absent.written).toEqual([]);
    const present = fakeStore({ reads: [[]], versions: [4], outcomes: [] });
    await present.maintainer.recompute('asset', 'X', UTC, DAY);
    expect(present.written).toEqual([{ values: null, expected: 4 }]);
  });

  it('gives up with RollupContentionError when every round is lost', async () => {
    const store = fakeStore({
      reads: [[point('2025-08-01T10:00:00Z', '5.0')]],
      versions: [1],
      outcomes: Array.from({ length: 20 }, (_, index) => ({ status: 'lost' as const, current: index + 2 })),
    });
    await expect(store.maintainer.recompute('asset', 'X', UTC, DAY)).rejects.toThrow(RollupContentionError);
    expect(store.written).toHaveLength(10);
  });
});
