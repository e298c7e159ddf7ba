import type { SessionCoverage } from './api-types';
import { gapSpans, logicalPosition, logicalSpan } from './coverage-gaps';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function session(
  date: string,
  status: SessionCoverage['status'],
  missing: SessionCoverage['missing'] = [],
): SessionCoverage {
  return {
    date,
    status,
    open: `${date}T13:30:00.000Z`,
    close: `${date}T20:00:00.000Z`,
    expected: 390,
    present: status === 'missing' ? 0 : 390 - missing.reduce((sum, run) => sum + run.bars, 0),
    missing,
  };
}

describe('gapSpans', () => {
  it('spans a missing session from open to close and each missing run of a partial one, nothing else', () => {
    const spans = gapSpans(
      [
        session('2025-07-07', 'complete'),
        session('2025-07-08', 'missing'),
        session('2025-07-09', 'partial', [
          { from: '2025-07-09T14:00:00.000Z', to: '2025-07-09T14:29:00.000Z', bars: 30 },
        ]),
        { ...session('2025-07-05', 'no_session'), open: null, close: null },
      ],
      MINUTE,
    );
    expect(spans).toEqual([
      {
        date: '2025-07-08',
        status: 'missing',
        fromMs: Date.parse('2025-07-08T13:30:00Z'),
        toMs: Date.parse('2025-07-08T20:00:00Z'),
        missingBars: 390,
      },
      {
        date: '2025-07-09',
        status: 'partial',
        fromMs: Date.parse('2025-07-09T14:00:00Z'),
        toMs: Date.parse('2025-07-09T14:30:00Z'),
        missingBars: 30,
      },
    ]);
  });
});

describe('logicalPosition', () => {
  // Hourly bars 10:00, 11:00, 12:00, then nothing until 15:00.
  const base = Date.parse('2025-07-09T10:00:00Z');
  const starts = [base, base + HOUR, base + 2 * HOUR, base + 5 * HOUR];

  it('places an instant inside a bar by its share of the bar', () => {
    expect(logicalPosition(starts, HOUR, base)).toBe(-0.5);
    expect(logicalPosition(starts, HOUR, base + HOUR + 30 * MINUTE)).toBe(1);
  });

  it('places an instant with no bar around it halfway between its neighbours', () => {
    expect(logicalPosition(starts, HOUR, base + 3 * HOUR + 10 * MINUTE)).toBe(2.5);
    expect(logicalPosition(starts, HOUR, base - HOUR)).toBe(-0.5);
    expect(logicalPosition(starts, HOUR, base + 9 * HOUR)).toBe(3.5);
  });

  it('widens a gap between two adjacent bars to the minimum width, centred on their boundary', () => {
    const span = logicalSpan(starts, HOUR, { fromMs: base + 3 * HOUR, toMs: base + 4 * HOUR }, 0.6);
    expect(span.from).toBeCloseTo(2.2);
    expect(span.to).toBeCloseTo(2.8);
    const wide = logicalSpan(starts, HOUR, { fromMs: base, toMs: base + 2 * HOUR }, 0.6);
    expect(wide).toEqual({ from: -0.5, to: expect.closeTo(1.5, 3) as number });
  });
});
