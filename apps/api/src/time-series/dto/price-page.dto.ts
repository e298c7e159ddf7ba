import { ApiProperty } from '@nestjs/swagger';
import { ADJUSTMENT_RESPONSE_DOCS } from '../../adjustments/dto/adjustment-docs';

const DECIMAL = {
  type: String,
  format: 'decimal',
  description: 'Exact decimal as a JSON string, digit for digit as stored (never a float)',
} as const;

/** One bar of a series. */
export class PricePointDto {
  @ApiProperty({
    type: String,
    format: 'date-time',
    description: 'Bar time, ISO-8601 UTC with milliseconds',
    example: '2025-08-01T13:30:00.000Z',
  })
  ts!: string;

  @ApiProperty({ ...DECIMAL, description: `The bar's close. ${DECIMAL.description}`, example: '189.10' })
  price!: string;

  @ApiProperty({ ...DECIMAL, nullable: true, description: 'Open; null for single-value sources', example: '189.00' })
  open!: string | null;

  @ApiProperty({ ...DECIMAL, nullable: true, description: 'High; null for single-value sources', example: '189.25' })
  high!: string | null;

  @ApiProperty({ ...DECIMAL, nullable: true, description: 'Low; null for single-value sources', example: '188.95' })
  low!: string | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Traded volume; null when the source has none',
    example: 12000,
  })
  volume!: number | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The data source that delivered this bar',
    example: 'synthetic',
  })
  source_id!: string | null;

  @ApiProperty({
    type: Number,
    required: false,
    description: 'Aggregated bars only: how many stored bars this bar was built from',
    example: 60,
  })
  bar_count?: number;

  @ApiProperty({
    type: Boolean,
    required: false,
    description: "Aggregated bars only: false while the bar's interval has not ended (more base bars may come)",
    example: true,
  })
  complete?: boolean;

  @ApiProperty({
    type: Boolean,
    required: false,
    description: 'fill=previous only: true on a bar filled in for a missing one (the previous close, volume 0)',
    example: true,
  })
  filled?: boolean;

  @ApiProperty({ type: String, format: 'decimal', nullable: true, required: false, ...ADJUSTMENT_RESPONSE_DOCS.factor })
  adjustment_factor?: string | null;
}

/** One page of a range read. */
export class PricePageDto {
  @ApiProperty({ type: String, description: 'The asset or commodity id', example: 'AAPL' })
  id!: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    description: 'Start of the range as understood (UTC)',
    example: '2025-08-01T00:00:00.000Z',
  })
  from!: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    description: 'End of the range as understood (UTC)',
    example: '2025-08-31T23:59:59.999Z',
  })
  to!: string;

  @ApiProperty({ type: String, enum: ['asc', 'desc'], example: 'asc' })
  sort!: 'asc' | 'desc';

  @ApiProperty({
    type: String,
    required: false,
    description: 'Aggregated pages only: the timeframe of the bars (its canonical label)',
    example: '1h',
  })
  timeframe?: string;

  @ApiProperty({
    type: String,
    required: false,
    description: 'Aggregated pages only: the IANA zone the bars are aligned in',
    example: 'America/New_York',
  })
  tz?: string;

  @ApiProperty({
    type: String,
    required: false,
    enum: ['split', 'dividend', 'all'],
    ...ADJUSTMENT_RESPONSE_DOCS.adjustment,
  })
  adjustment?: string;

  @ApiProperty({ type: String, format: 'date-time', required: false, ...ADJUSTMENT_RESPONSE_DOCS.asof })
  adjustment_asof?: string;

  @ApiProperty({ type: [PricePointDto] })
  items!: PricePointDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as page_token to get the next page; null on the last page',
    example: 'v1.eyJxIjp7…',
  })
  next_page_token!: string | null;
}
