import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** One split or cash dividend of a series, as stored. */
export class CorporateActionDto {
  @ApiProperty({
    type: String,
    format: 'date',
    description: "Ex-date in the series' exchange calendar",
    example: '2020-08-31',
  })
  ex_date!: string;

  @ApiProperty({ type: String, enum: ['split', 'dividend'], example: 'split' })
  type!: 'split' | 'dividend';

  @ApiProperty({
    type: Number,
    required: false,
    description: 'Splits only: new shares per `denominator` old ones (4 for AAPL 2020, 1 for a 1-for-10 reverse split)',
    example: 4,
  })
  numerator?: number;

  @ApiProperty({ type: Number, required: false, description: 'Splits only: old shares', example: 1 })
  denominator?: number;

  @ApiProperty({
    type: String,
    format: 'decimal',
    required: false,
    description: 'Dividends only: cash per share as of the ex-date, exact decimal text',
    example: '0.82',
  })
  amount?: string;

  @ApiProperty({ type: String, required: false, description: 'Dividends only: ISO 4217 currency', example: 'USD' })
  currency?: string;

  @ApiProperty({
    type: String,
    description: 'The source that reported it (`csv` for an imported file)',
    example: 'yahoo',
  })
  source_id!: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When it became known: the declaration date where the source gives one, else its first ingest',
    example: '2020-07-30T00:00:00.000Z',
  })
  known_at!: string | null;
}

/** The actions of one series. */
export class CorporateActionsDto {
  @ApiProperty({ type: String, example: 'AAPL' })
  id!: string;

  @ApiProperty({ type: [CorporateActionDto] })
  items!: CorporateActionDto[];
}

/** Query of the actions route: ex-dates, both inclusive. */
export class CorporateActionsQueryDto {
  @ApiProperty({
    type: String,
    required: false,
    description: 'First ex-date (inclusive), YYYY-MM-DD',
    example: '2020-01-01',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  from?: string;

  @ApiProperty({
    type: String,
    required: false,
    description: 'Last ex-date (inclusive), YYYY-MM-DD',
    example: '2024-12-31',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  to?: string;
}
