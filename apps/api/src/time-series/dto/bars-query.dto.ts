import { ApiProperty, OmitType } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { RangeQueryDto } from './range-query.dto';

/**
 * Query parameters of `GET /bars`: a range read's (with `format`: CSV, NDJSON or Parquet of
 * every series), and the symbols. Not yet `fill` (the gap filler serves one series' pages):
 * an unknown parameter is a 400, never silently ignored.
 */
export class BarsQueryDto extends OmitType(RangeQueryDto, ['fill'] as const) {
  @ApiProperty({
    type: String,
    description:
      'Comma-separated ids, 1 to 100, each once. An id is looked up among assets, then commodities; `commodity:` ' +
      '(or `asset:`) pins the kind, e.g. `commodity:brent`. Unknown ids: 404 naming all of them.',
    example: 'AAPL,MSFT,commodity:brent',
  })
  @IsString()
  @MaxLength(8192)
  symbols!: string;
}
