import { ApiProperty, PickType, getSchemaPath } from '@nestjs/swagger';
import { PricePageDto, PricePointDto } from './price-page.dto';

/** One page of a multi-series read, in Alpaca's shape. */
export class BarsPageDto extends PickType(PricePageDto, ['from', 'to', 'sort', 'next_page_token'] as const) {
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
}
