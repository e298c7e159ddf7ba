import { coverageTotals, missingRanges, sessionCoverage, sessionStatus } from './session-coverage';

const session = { date: '2025-07-02', openMs: 0, closeMs: 600, earlyClose: false };

describe('session coverage', () => {
  it('names the missing bars as runs of consecutive expected starts', () => {
    expect(missingRanges([0, 60, 120, 180, 240, 300], new Set([0, 180]))).toEqual([
      { fromMs: 60, toMs: 120, bars: 2 },
      { fromMs: 240, toMs: 300, bars: 2 },
    ]);
    expect(missingRanges([0, 60], new Set([0, 60]))).toEqual([]);
  });

  it('is complete with every bar, missing with none, partial between, and no_session when nothing is expected', () => {
    expect(sessionStatus(390, 390)).toBe('complete');
    expect(sessionStatus(390, 0)).toBe('missing');
    expect(sessionStatus(390, 389)).toBe('partial');
    expect(sessionStatus(0, 0)).toBe('no_session');
  });

  it('counts only expected bars as present (a stray bar off the grid does not fill a hole)', () => {
    const day = sessionCoverage(session, [0, 60, 120], new Set([0, 90]));
    expect(day).toMatchObject({ expected: 3, present: 1, status: 'partial' });
    expect(day.missing).toEqual([{ fromMs: 60, toMs: 120, bars: 2 }]);
  });

  it('totals sessions and bars, closed days counted by status only', () => {
    const days = [
      sessionCoverage(session, [0, 60], new Set([0, 60])),
      sessionCoverage({ ...session, date: '2025-07-03' }, [0, 60], new Set([60])),
      { date: '2025-07-04', session: null, expected: 0, present: 0, missing: [], status: 'no_session' as const },
    ];
    expect(coverageTotals(days)).toEqual({
      sessions: 2,
      expected: 4,
      present: 3,
      missingBars: 1,
      byStatus: { complete: 1, partial: 1, missing: 0, no_session: 1 },
    });
  });
});
