import type { CoverageReport } from '../coverage.service';
import type { MissingRange, SessionCoverage } from '@market/cassandra';
import type { CoverageReportDto, MissingRangeDto, SessionCoverageDto } from './coverage-report.dto';

const iso = (ms: number) => new Date(ms).toISOString();

function missingRangeDto(range: MissingRange): MissingRangeDto {
  return { from: iso(range.fromMs), to: iso(range.toMs), bars: range.bars };
}

function sessionCoverageDto(day: SessionCoverage): SessionCoverageDto {
  const { session } = day;
  return {
    date: day.date,
    status: day.status,
    open: session === null ? null : iso(session.openMs),
    close: session === null ? null : iso(session.closeMs),
    early_close: session?.earlyClose ?? false,
    expected: day.expected,
    present: day.present,
    missing: day.missing.map(missingRangeDto),
  };
}

/** The wire form of a coverage report. */
export function coverageReportDto(report: CoverageReport): CoverageReportDto {
  const { totals } = report;
  return {
    id: report.id,
    calendar: report.calendar,
    interval: report.interval,
    from: report.from.toISOString(),
    to: report.to.toISOString(),
    sessions: report.days.map(sessionCoverageDto),
    totals: {
      sessions: totals.sessions,
      expected: totals.expected,
      present: totals.present,
      missing: totals.missingBars,
      complete: totals.byStatus.complete,
      partial: totals.byStatus.partial,
      missing_sessions: totals.byStatus.missing,
      no_session: totals.byStatus.no_session,
    },
  };
}
