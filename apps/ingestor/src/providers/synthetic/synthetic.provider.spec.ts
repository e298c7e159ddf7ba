import fc from 'fast-check';
import { validateBars } from '../../normalisation/bar-validator';
import type { BarInterval, ProviderBar } from '../price-provider.interface';
import { SyntheticProvider, generateSyntheticBars } from './synthetic.provider';

const MINUTE = 60_000;
const synthetic = new SyntheticProvider({ seed: 'spec' });

function fetch(symbol: string, from: string, to: string, interval: BarInterval = '1m'): Promise<ProviderBar[]> {
  return synthetic.fetchBars({ symbol, from: new Date(from), to: new Date(to), interval });
}

const cents = (text: string | null): number => Math.round(Number(text) * 100);

describe('SyntheticProvider', () => {
  it('produces the 390 one-minute bars of a summer session, 09:30–16:00 New York (13:30–20:00 UTC)', async () => {
    const bars = await fetch('AAPL', '2025-08-01T00:00:00Z', '2025-08-02T00:00:00Z');
    expect(bars).toHaveLength(390);
    expect(bars[0]?.ts.toISOString()).toBe('2025-08-01T13:30:00.000Z');
    expect(bars.at(-1)?.ts.toISOString()).toBe('2025-08-01T19:59:00.000Z');
    const open = Date.parse('2025-08-01T13:30:00Z');
    expect(bars.every((bar, index) => bar.ts.getTime() === open + index * MINUTE)).toBe(true);
  });

  it('follows New York across the DST change: 14:30 UTC on Friday, 13:30 UTC on Monday', async () => {
    const bars = await fetch('AAPL', '2025-03-07T00:00:00Z', '2025-03-11T00:00:00Z');
    const firstOfDay = bars.filter((bar, index) => index % 390 === 0).map((bar) => bar.ts.toISOString());
    expect(bars).toHaveLength(2 * 390);
    expect(firstOfDay).toEqual(['2025-03-07T14:30:00.000Z', '2025-03-10T13:30:00.000Z']);
  });

  it('has nothing at weekends or outside the session', async () => {
    await expect(fetch('AAPL', '2025-08-02T00:00:00Z', '2025-08-04T00:00:00Z')).resolves.toEqual([]);
    await expect(fetch('AAPL', '2025-08-01T20:00:00Z', '2025-08-04T13:30:00Z')).resolves.toEqual([]);
  });

  it('returns exactly the minutes of a partial window', async () => {
    const bars = await fetch('AAPL', '2025-08-01T13:45:00Z', '2025-08-01T13:50:00Z');
    expect(bars.map((bar) => bar.ts.toISOString().slice(11, 16))).toEqual([
      '13:45',
      '13:46',
      '13:47',
      '13:48',
      '13:49',
    ]);
  });

  it('gives every minute the same bar whatever window it is fetched in', async () => {
    const day = Date.parse('2025-08-04T13:30:00Z');
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 389 }),
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 0, max: 389 }),
        fc.integer({ min: 1, max: 200 }),
        async (startA, lengthA, startB, lengthB) => {
          const windowOf = (start: number, length: number) => ({
            symbol: 'AAPL',
            from: new Date(day + start * MINUTE),
            to: new Date(day + (start + length) * MINUTE),
            interval: '1m' as const,
          });
          const a = await synthetic.fetchBars(windowOf(startA, lengthA));
          const b = await new SyntheticProvider({ seed: 'spec' }).fetchBars(windowOf(startB, lengthB));
          const byTs = new Map(b.map((bar) => [bar.ts.getTime(), bar]));
          for (const bar of a) {
            const twin = byTs.get(bar.ts.getTime());
            if (twin !== undefined) expect(twin).toEqual(bar);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('changes every price with the seed and with the symbol', async () => {
    const window = {
      from: new Date('2025-08-01T13:30:00Z'),
      to: new Date('2025-08-01T13:40:00Z'),
      interval: '1m' as const,
    };
    const closes = async (provider: SyntheticProvider, symbol: string) =>
      (await provider.fetchBars({ ...window, symbol })).map((bar) => bar.close);
    const base = await closes(synthetic, 'AAPL');
    expect(await closes(new SyntheticProvider({ seed: 'other' }), 'AAPL')).not.toEqual(base);
    expect(await closes(synthetic, 'MSFT')).not.toEqual(base);
  });

  it('makes bars the validator accepts in full: OHLC consistent, 2 decimals, positive whole volume', async () => {
    const bars = await fetch('BRENT', '2025-07-28T00:00:00Z', '2025-08-02T00:00:00Z');
    expect(bars.length).toBe(5 * 390);
    const { accepted, rejected } = validateBars(bars, new Date('2025-08-02T00:00:00Z'));
    expect(rejected).toEqual([]);
    expect(accepted).toHaveLength(bars.length);
    for (const bar of bars) {
      for (const price of [bar.open, bar.high, bar.low, bar.close]) expect(price).toMatch(/^\d+\.\d{2}$/);
      expect(Number(bar.volume)).toBeGreaterThanOrEqual(1);
    }
  });

  it('keeps prices at realistic levels: AAPL within 160–251, Brent within 60–94, over two years', async () => {
    for (const [symbol, low, high] of [
      ['AAPL', 159.8, 251],
      ['BRENT', 59.9, 94],
    ] as const) {
      const days = await fetch(symbol, '2024-01-01T00:00:00Z', '2026-01-01T00:00:00Z', '1d');
      expect(days.length).toBeGreaterThan(500);
      expect(Math.min(...days.map((bar) => Number(bar.low)))).toBeGreaterThanOrEqual(low);
      expect(Math.max(...days.map((bar) => Number(bar.high)))).toBeLessThanOrEqual(high);
    }
  });

  it('wanders like a random walk: small steps minute to minute, real moves over weeks', async () => {
    const minutes = await fetch('AAPL', '2025-08-01T13:30:00Z', '2025-08-01T20:00:00Z');
    const steps = minutes
      .slice(1)
      .map((bar, index) => Math.abs(Math.log(Number(bar.close) / Number(minutes[index]?.close))));
    expect(Math.max(...steps)).toBeLessThan(0.01);
    expect(steps.filter((step) => step > 0).length).toBeGreaterThan(300);
    const days = await fetch('AAPL', '2025-01-01T00:00:00Z', '2025-04-01T00:00:00Z', '1d');
    const closes = days.map((bar) => Number(bar.close));
    expect(Math.max(...closes) / Math.min(...closes)).toBeGreaterThan(1.03);
  });

  it('builds 5m, 1h and daily bars from the very minute bars it serves', async () => {
    const minutes = await fetch('MSFT', '2025-08-01T00:00:00Z', '2025-08-02T00:00:00Z');
    const merge = (group: ProviderBar[]) => ({
      open: group[0]?.open,
      high: Math.max(...group.map((bar) => cents(bar.high))),
      low: Math.min(...group.map((bar) => cents(bar.low))),
      close: group.at(-1)?.close,
      volume: group.reduce((sum, bar) => sum + Number(bar.volume), 0),
    });
    const shape = (bar: ProviderBar | undefined) => ({
      open: bar?.open,
      high: cents(bar?.high ?? null),
      low: cents(bar?.low ?? null),
      close: bar?.close,
      volume: Number(bar?.volume),
    });
    const fives = await fetch('MSFT', '2025-08-01T00:00:00Z', '2025-08-02T00:00:00Z', '5m');
    expect(fives).toHaveLength(78);
    expect(shape(fives[3])).toEqual(merge(minutes.slice(15, 20)));
    const hours = await fetch('MSFT', '2025-08-01T00:00:00Z', '2025-08-02T00:00:00Z', '1h');
    expect(hours.map((bar) => bar.ts.toISOString().slice(11, 16))).toEqual([
      '13:30',
      '14:30',
      '15:30',
      '16:30',
      '17:30',
      '18:30',
      '19:30',
    ]);
    expect(shape(hours[6])).toEqual(merge(minutes.slice(360)));
    const [day] = await fetch('MSFT', '2025-08-01T00:00:00Z', '2025-08-02T00:00:00Z', '1d');
    expect(day?.ts.toISOString()).toBe('2025-08-01T00:00:00.000Z');
    expect(shape(day)).toEqual(merge(minutes));
  });

  it('stamps a daily bar at 00:00 UTC even when the window ends before its session', async () => {
    const days = await fetch('AAPL', '2025-08-04T00:00:00Z', '2025-08-04T01:00:00Z', '1d');
    expect(days.map((bar) => bar.ts.toISOString())).toEqual(['2025-08-04T00:00:00.000Z']);
  });

  it('follows the XNYS calendar: no bars on a holiday, none after 13:00 on an early close', async () => {
    expect(synthetic.calendar).toBe('XNYS');
    const week = await fetch('AAPL', '2025-07-03T00:00:00Z', '2025-07-05T00:00:00Z', '1h');
    expect(week.map((bar) => bar.ts.toISOString())).toEqual([
      '2025-07-03T13:30:00.000Z',
      '2025-07-03T14:30:00.000Z',
      '2025-07-03T15:30:00.000Z',
      '2025-07-03T16:30:00.000Z',
    ]);
    const minutes = await fetch('AAPL', '2025-07-03T00:00:00Z', '2025-07-05T00:00:00Z');
    expect(minutes).toHaveLength(210);
    expect(minutes.at(-1)?.ts.toISOString()).toBe('2025-07-03T16:59:00.000Z');
    const days = await fetch('AAPL', '2025-07-01T00:00:00Z', '2025-07-08T00:00:00Z', '1d');
    expect(days.map((bar) => bar.ts.toISOString().slice(0, 10))).toEqual([
      '2025-07-01',
      '2025-07-02',
      '2025-07-03',
      '2025-07-07',
    ]);
  });

  it('generates lazily, so a long window can be streamed', () => {
    const bars = generateSyntheticBars(
      { seed: 'spec', symbol: 'AAPL' },
      { from: new Date('2000-01-01T00:00:00Z'), to: new Date('2030-01-01T00:00:00Z'), interval: '1m' },
    );
    const first = bars.next();
    expect(first.done).toBe(false);
    expect(first.value?.ts.toISOString()).toBe('2000-01-03T14:30:00.000Z');
  });

  it('names its seed in its provenance url and rejects when aborted', async () => {
    expect(synthetic.url).toBe('synthetic://random-walk?seed=spec');
    const aborted = synthetic.fetchBars(
      { symbol: 'AAPL', from: new Date('2025-08-01T00:00:00Z'), to: new Date('2025-08-02T00:00:00Z'), interval: '1m' },
      AbortSignal.abort(new Error('stop')),
    );
    await expect(aborted).rejects.toThrow('stop');
  });
});
