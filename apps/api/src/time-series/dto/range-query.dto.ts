import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

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
  })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  sort: 'asc' | 'desc' = 'asc';

  @ApiProperty({
    type: String,
    required: false,
    description: 'The next_page_token of the previous page, unchanged; valid only with the same id, from, to and sort.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  page_token?: string;
}
