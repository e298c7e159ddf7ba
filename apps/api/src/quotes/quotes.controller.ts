import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses } from '../errors/api-responses.decorator';
import { pricePointDto } from '../time-series/dto/price-point.mapper';
import { QuoteDto } from './dto/quote.dto';
import { QuotesService } from './quotes.service';
import { RequireScopes } from '../auth/require-scopes.decorator';
import { SCOPES } from '@market/auth';

@ApiTags('quotes')
@ApiProblemResponses(414, 429)
@RequireScopes(SCOPES.readData)
@Controller('quotes')
export class QuotesController {
  constructor(private readonly quotes: QuotesService) {}

  @Get(':asset_id/latest')
  @ApiOperation({
    summary: 'The latest quote of an asset',
    description: 'Never a scan: one row of latest_quote_by_asset.',
  })
  @ApiParam({ name: 'asset_id', type: String, example: 'AAPL' })
  @ApiOkResponse({ type: QuoteDto })
  @ApiProblemResponses(400, 404, 503)
  async getLatestQuote(@Param('asset_id') assetId: string): Promise<QuoteDto> {
    return { asset_id: assetId, ...pricePointDto(await this.quotes.latest(assetId)) };
  }
}
