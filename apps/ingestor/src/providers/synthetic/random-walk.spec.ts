import fc from 'fast-check';
import { RandomWalk, centsText } from './random-walk';

const AUGUST_2025 = Date.parse('2025-08-01T13:30:00Z') / 60_000;

describe('RandomWalk', () => {
  it('gives every minute the price a fresh walk computes, whatever order minutes are asked in', () => {
    // The walk caches knot values and the last price; asking forwards, backwards, in jumps
    // and repeatedly must never change a result.
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: -300_000, max: 300_000 }), { minLength: 1, maxLength: 60 }),
        (symbol, offsets) => {
          const cached = new RandomWalk('seed', symbol);
          for (const offset of offsets) {
            const minute = AUGUST_2025 + offset;
            expect(cached.priceAt(minute)).toBe(new RandomWalk('seed', symbol).priceAt(minute));
            expect(cached.priceAt(minute + 1)).toBe(new RandomWalk('seed', symbol).priceAt(minute + 1));
          }
        },
      ),
    );
  });

  it('joins bars up: a minute closes at the next one’s open', () => {
    const walk = new RandomWalk('seed', 'AAPL');
    const first = walk.minuteBar(AUGUST_2025, 0.01);
    const second = walk.minuteBar(AUGUST_2025 + 1, 0.01);
    expect(second.openCents).toBe(first.closeCents);
    expect(first.highCents).toBeGreaterThanOrEqual(Math.max(first.openCents, first.closeCents));
    expect(first.lowCents).toBeLessThanOrEqual(Math.min(first.openCents, first.closeCents));
  });

  it('keeps a walk within 0.80–1.25 × its base price', () => {
    const walk = new RandomWalk('seed', 'MSFT');
    for (let minute = 0; minute < 200_000; minute += 97) {
      const ratio = walk.priceAt(AUGUST_2025 + minute) / walk.basePrice;
      expect(ratio).toBeGreaterThan(0.8);
      expect(ratio).toBeLessThan(1.25);
    }
  });
});

describe('centsText', () => {
  it.each([
    [18910, '189.10'],
    [5, '0.05'],
    [100, '1.00'],
    [99, '0.99'],
  ])('%d cents is %s', (cents, text) => {
    expect(centsText(cents)).toBe(text);
  });
});
