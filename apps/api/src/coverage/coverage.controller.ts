import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { SCOPES } from '@market/auth';
import { RequireScopes } from '../auth/require-scopes.decorator';
import { ApiProblemResponses } from '../errors/api-responses.decorator';
import { ProblemDto } from '../errors/problem.dto';
import { CoverageService } from './coverage.service';
import { CoverageQueryDto } from './dto/coverage-query.dto';
import { CoverageReportDto } from './dto/coverage-report.dto';
import { coverageReportDto } from './dto/coverage-report.mapper';

const DESCRIPTION =
  "Per trading session of the series' exchange calendar (meta.calendar: XNYS, XNAS, 24/7): the base bars the " +
  'calendar and the stored interval expect, those stored, the missing runs and a status; weekdays the exchange is ' +
  'closed appear as `no_session`, so a holiday is never reported missing and an early close expects bars until ' +
  '13:00 New York only. Counted from the daily rollups; only partial sessions read their own bars. At most 366 days.';

@ApiTags('coverage')
@ApiExtraModels(ProblemDto)
@ApiProblemResponses(414, 429)
@RequireScopes(SCOPES.readData)
@Controller()
export class CoverageController {
  constructor(private readonly coverage: CoverageService) {}

  @Get('data/:asset_id/coverage')
  @ApiOperation({ summary: "Which of an asset's bars are missing, session by session", description: DESCRIPTION })
  @ApiParam({ name: 'asset_id', type: String, example: 'AAPL' })
  @ApiOkResponse({ type: CoverageReportDto })
  @ApiProblemResponses(400, 404, 503)
  async getAssetCoverage(@Param('asset_id') assetId: string, @Query() query: CoverageQueryDto): Promise<CoverageReportDto> {
    return coverageReportDto(await this.coverage.coverage('asset', assetId, query));
  }

  @Get('commodities/:commodity_id/coverage')
  @ApiOperation({ summary: "Which of a commodity's bars are missing, session by session", description: DESCRIPTION })
  @ApiParam({ name: 'commodity_id', type: String, example: 'brent' })
  @ApiOkResponse({ type: CoverageReportDto })
  @ApiProblemResponses(400, 404, 503)
  async getCommodityCoverage(
    @Param('commodity_id') commodityId: string,
    @Query() query: CoverageQueryDto,
  ): Promise<CoverageReportDto> {
    return coverageReportDto(await this.coverage.coverage('commodity', commodityId, query));
  }
}
