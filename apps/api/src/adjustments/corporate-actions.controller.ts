import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { SCOPES } from '@market/auth';
import type { StoredCorporateAction } from '@market/domain';
import { RequireScopes } from '../auth/require-scopes.decorator';
import { ApiProblemResponses } from '../errors/api-responses.decorator';
import { CorporateActionsService } from './corporate-actions.service';
import { type CorporateActionDto, CorporateActionsDto, CorporateActionsQueryDto } from './dto/corporate-action.dto';

function corporateActionDto(action: StoredCorporateAction): CorporateActionDto {
  const terms =
    action.type === 'split'
      ? { numerator: action.numerator, denominator: action.denominator }
      : { amount: action.amount, currency: action.currency };
  return {
    ex_date: action.exDate,
    type: action.type,
    ...terms,
    source_id: action.sourceId,
    known_at: action.knownAt === null ? null : action.knownAt.toISOString(),
  };
}

@ApiTags('time series')
@ApiProblemResponses(414, 429)
@RequireScopes(SCOPES.readData)
@Controller()
export class CorporateActionsController {
  constructor(private readonly corporateActions: CorporateActionsService) {}

  @Get('assets/:asset_id/actions')
  @ApiOperation({
    summary: "An asset's splits and cash dividends, by ex-date",
    description:
      'The corporate actions stored raw for the asset, every source that reported one (reads adjusted with ' +
      '`adjustment=` apply one per ex-date and type: an imported file first, else the first source by name).',
  })
  @ApiParam({ name: 'asset_id', type: String, example: 'AAPL' })
  @ApiOkResponse({ type: CorporateActionsDto })
  @ApiProblemResponses(400, 404, 503)
  async getAssetActions(
    @Param('asset_id') assetId: string,
    @Query() query: CorporateActionsQueryDto,
  ): Promise<CorporateActionsDto> {
    const actions = await this.corporateActions.list('asset', assetId, query.from, query.to);
    return { id: assetId, items: actions.map(corporateActionDto) };
  }
}
