import { ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { PricePointDto } from './price-page.dto';

/** One page of a multi-series read, in Alpaca's shape. */
export class BarsPageDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'array', items: { $ref: getSchemaPath(PricePointDto) } },
    description:
      'Bars per symbol (keyed as requested), for the series this page reached, in request order; each series is ' +
      'finished before the next starts, so a series may go on in the next page. A series with no bars in the range ' +
      'has an empty array. JSON parsers may reorder keys that look like integers: take the order from the request.',
    example: {
      AAPL: [
        {
          ts: '2025-08-01T13:30:00.000Z',
          price: '189.10',
          open: '189.00',
          high: '189.25',
          low: '188.95',
          volume: 12000,
          source_id: null,
          bar_count: 5,
          complete: true,
        },
      ],
      'commodity:brent': [],
    },
  })
  bars!: Record<string, PricePointDto[]>;

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
    description: 'End of the range as understood (UTC); a range left open ends where its first page put it',
    example: '2025-08-31T23:59:59.999Z',
  })
  to!: string;

  @ApiProperty({ type: String, enum: ['asc', 'desc'], example: 'asc' })
  sort!: 'asc' | 'desc';

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as page_token (with the same symbols and parameters) to get the next page; null on the last',
    example: 'v1.eyJxIjp7…',
  })
  next_page_token!: string | null;
}
