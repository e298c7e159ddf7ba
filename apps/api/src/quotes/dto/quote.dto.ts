import { ApiProperty } from '@nestjs/swagger';
import { PricePointDto } from '../../time-series/dto/price-page.dto';

/** The latest bar recorded for an asset. */
export class QuoteDto extends PricePointDto {
  @ApiProperty({ type: String, example: 'AAPL' })
  asset_id!: string;
}
