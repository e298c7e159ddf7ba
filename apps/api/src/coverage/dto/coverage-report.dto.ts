import { ApiProperty } from '@nestjs/swagger';
import { EXCHANGE_CALENDARS } from '@market/domain';
import { COVERAGE_STATUSES } from '@market/cassandra';

const INSTANT = { type: String, format: 'date-time' } as const;

/** A run of consecutive expected bars that are not stored. */
export class MissingRangeDto {
  @ApiProperty({ ...INSTANT, description: 'Start of the first missing bar', example: '2025-07-02T14:05:00.000Z' })
  from!: string;

  @ApiProperty({
    ...INSTANT,
    description: 'Start of the last missing bar (inclusive, as `to` of a range read)',
    example: '2025-07-02T14:09:00.000Z',
  })
  to!: string;

  @ApiProperty({ type: 'integer', description: 'How many bars the run lacks', example: 5 })
  bars!: number;
}

/** One trading session of the range, or a weekday the exchange is closed. */
export class SessionCoverageDto {
  @ApiProperty({ type: String, format: 'date', description: "The session's date on the exchange", example: '2025-07-02' })
  date!: string;

  @ApiProperty({
    type: String,
    enum: COVERAGE_STATUSES,
    description:
      '`complete`: every expected bar is stored; `partial`: some are missing; `missing`: none is stored; ' +
      '`no_session`: the exchange is closed that weekday (a holiday), nothing is expected',
    example: 'partial',
  })
  status!: string;

  @ApiProperty({ ...INSTANT, nullable: true, description: 'Session open; null on a closed day', example: '2025-07-02T13:30:00.000Z' })
  open!: string | null;

  @ApiProperty({
    ...INSTANT,
    nullable: true,
    description: 'Session close (exclusive); 13:00 New York on an early close; null on a closed day',
    example: '2025-07-02T20:00:00.000Z',
  })
  close!: string | null;

  @ApiProperty({ type: Boolean, description: 'True when the session ends before the regular close', example: false })
  early_close!: boolean;

  @ApiProperty({ type: 'integer', description: 'Base bars the calendar and interval expect inside the range', example: 390 })
  expected!: number;

  @ApiProperty({ type: 'integer', description: 'Expected bars that are stored', example: 385 })
  present!: number;

  @ApiProperty({ type: [MissingRangeDto], description: 'The missing bars as runs, oldest first' })
  missing!: MissingRangeDto[];
}

export class CoverageTotalsDto {
  @ApiProperty({ type: 'integer', description: 'Trading sessions in the range', example: 22 })
  sessions!: number;

  @ApiProperty({ type: 'integer', description: 'Base bars expected over all sessions', example: 8400 })
  expected!: number;

  @ApiProperty({ type: 'integer', description: 'Expected bars stored', example: 8395 })
  present!: number;

  @ApiProperty({ type: 'integer', description: 'Expected bars not stored', example: 5 })
  missing!: number;

  @ApiProperty({ type: 'integer', description: 'Sessions with every bar', example: 21 })
  complete!: number;

  @ApiProperty({ type: 'integer', description: 'Sessions with some bars missing', example: 1 })
  partial!: number;

  @ApiProperty({ type: 'integer', description: 'Sessions with no bar stored', example: 0 })
  missing_sessions!: number;

  @ApiProperty({ type: 'integer', description: 'Weekdays the exchange was closed', example: 1 })
  no_session!: number;
}

/** A series' coverage against its exchange calendar. */
export class CoverageReportDto {
  @ApiProperty({ type: String, example: 'AAPL' })
  id!: string;

  @ApiProperty({
    type: String,
    enum: EXCHANGE_CALENDARS,
    description: "The exchange calendar the series follows (its catalog entry's meta.calendar)",
    example: 'XNYS',
  })
  calendar!: string;

  @ApiProperty({ type: String, description: "The series' stored bar interval", example: '1m' })
  interval!: string;

  @ApiProperty({ ...INSTANT, example: '2025-07-01T00:00:00.000Z' })
  from!: string;

  @ApiProperty({ ...INSTANT, example: '2025-07-31T23:59:59.999Z' })
  to!: string;

  @ApiProperty({ type: [SessionCoverageDto], description: 'Every session of the range and every closed weekday, by date' })
  sessions!: SessionCoverageDto[];

  @ApiProperty({ type: CoverageTotalsDto })
  totals!: CoverageTotalsDto;
}
