import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ADJUSTMENTS, TIMEFRAME_SPELLINGS } from '@market/domain';
import { FILL_MODES, type FillMode } from '../../coverage/gap-filler';
import { ADJUSTMENT_PARAMETER_DOCS } from '../../adjustments/dto/adjustment-docs';
import { EXPORT_FORMATS, type ExportFormat } from '../../exports/export-format';

export const MAX_LIMIT = 5000;
export const DEFAULT_LIMIT = 100;

/** Query parameters of a range read; `from`/`to` are parsed strictly by the service. */
export class RangeQueryDto {
  @ApiProperty({
    type: String,
    required: false,
    description:
      'Start of the range (inclusive), ISO-8601. A date alone is the start of that UTC day; no offset means UTC. ' +
      "Defaults to the series' first bar. Any span is fine: a read is clamped to the bars the series holds.",
    example: '2025-08-01',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  from?: string;

  @ApiProperty({
    type: String,
    required: false,
    description: 'End of the range (inclusive), ISO-8601. A date alone covers that whole UTC day. Defaults to now.',
    example: '2025-08-31',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  to?: string;

  @ApiProperty({
    type: 'integer',
    required: false,
    minimum: 1,
    maximum: MAX_LIMIT,
    default: DEFAULT_LIMIT,
    description: 'Rows per page',
    example: 500,
  })
  @IsOptional()
  // Digits only: Number() would also take '1e3', '0x10' and ' 10 '; anything else stays a string and fails IsInt.
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value,
  )
  @IsInt()
  @Min(1)
  @Max(MAX_LIMIT)
  limit: number = DEFAULT_LIMIT;

  @ApiProperty({
    type: String,
    required: false,
    enum: ['asc', 'desc'],
    default: 'asc',
    description: '`asc`: oldest first. `desc`: newest first (the "last N bars" of a dashboard).',
    example: 'desc',
  })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  sort: 'asc' | 'desc' = 'asc';

  @ApiProperty({
    type: String,
    required: false,
    enum: TIMEFRAME_SPELLINGS,
    description:
      "Bar width. Default: the series' stored interval (its raw bars). A coarser one (`1m 5m 15m 30m 1h 4h 1d 1w 1mo`, " +
      "or Alpaca's `1Min 5Min 15Min 30Min 1Hour 4Hour 1Day 1Week 1Month`) aggregates the stored bars exactly, aligned " +
      "on the local clock of the series' time zone (catalog `meta.timezone`, or `tz`): `1h` at :00 local, `1d` the " +
      'local day, `1w` from Monday, `1mo` from the 1st; items then carry `bar_count` and `complete`, and `limit` ' +
      'counts bars. The range selects the bars whose start lies in [from, to]; each is whole. Finer than the stored ' +
      'interval answers 400.',
    example: '1h',
  })
  @IsOptional()
  @IsString()
  @MaxLength(16)
  timeframe?: string;

  @ApiProperty({
    type: String,
    required: false,
    description:
      "IANA time zone to align aggregated bars in, overriding the series' own (`meta.timezone`). Unknown zone: 400. " +
      'Ignored for raw bars.',
    example: 'America/New_York',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  tz?: string;

  @ApiProperty({ type: String, required: false, enum: ADJUSTMENTS, ...ADJUSTMENT_PARAMETER_DOCS.adjustment })
  @IsOptional()
  @IsIn(ADJUSTMENTS)
  adjustment?: string;

  @ApiProperty({ type: String, required: false, ...ADJUSTMENT_PARAMETER_DOCS.adjustment_asof })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  adjustment_asof?: string;

  @ApiProperty({
    type: String,
    required: false,
    enum: FILL_MODES,
    default: 'none',
    description:
      "`previous`: inside the sessions of the series' exchange calendar (meta.calendar), a missing bar becomes the " +
      'previous close with open = high = low = close, volume 0 and `filled: true`; never outside a session, never ' +
      'before the first bar. Ascending pages only; a series without a calendar answers 400.',
    example: 'previous',
  })
  @IsOptional()
  @IsIn(FILL_MODES)
  fill?: FillMode;

  @ApiProperty({
    type: String,
    required: false,
    description:
      'The next_page_token of the previous page, unchanged; valid only with the same id, from, to, sort, timeframe, tz, fill, ' +
      'adjustment and adjustment_asof.',
    example: 'v1.eyJxIjp7ImtpbmQiOiJhc3NldCIsImlkIjoiQUFQTCJ9fQ.c2lnbmF0dXJl',
  })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  page_token?: string;

  @ApiProperty({
    type: String,
    required: false,
    enum: EXPORT_FORMATS,
    description:
      'Response format, for clients that cannot set Accept (it wins over Accept): `json` pages, or the whole range ' +
      'as one `csv`, `ndjson` or `parquet` file (no page_token; `limit` is ignored).',
    example: 'csv',
  })
  @IsOptional()
  @IsIn(EXPORT_FORMATS)
  format?: ExportFormat;
}
