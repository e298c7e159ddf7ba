import { Controller, Get, Query } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SCOPES } from '@market/auth';
import { RequireScopes } from '../auth/require-scopes.decorator';
import { ApiProblemResponses } from '../errors/api-responses.decorator';
import { ProblemDto } from '../errors/problem.dto';
import { BarsPageDto } from './dto/bars-page.dto';
import { BarsQueryDto } from './dto/bars-query.dto';
import { PricePointDto } from './dto/price-page.dto';
import { aggregatedBarDto, pricePointDto } from './dto/price-point.mapper';
import { type MultiSeriesPage, MultiSeriesService } from './multi-series.service';
import type { RangePage } from './time-series.service';

function itemsOf(page: RangePage): PricePointDto[] {
  return page.aggregation === undefined ? page.points.map(pricePointDto) : page.aggregation.bars.map(aggregatedBarDto);
}

function barsPageDto(page: MultiSeriesPage): BarsPageDto {
  // fromEntries defines own keys, so even a symbol spelled `__proto__` is an ordinary key.
  const bars = Object.fromEntries(page.series.map(({ symbol, page: seriesPage }) => [symbol, itemsOf(seriesPage)]));
  return {
    bars,
    from: page.from.toISOString(),
    to: page.to.toISOString(),
    sort: page.sort,
    next_page_token: page.nextPageToken,
  };
}

@ApiTags('time series')
@ApiExtraModels(ProblemDto, PricePointDto)
@ApiProblemResponses(414, 429)
@RequireScopes(SCOPES.readData)
@Controller()
export class MultiSeriesController {
  constructor(private readonly multiSeries: MultiSeriesService) {}

  @Get('bars')
  @ApiOperation({
    summary: 'Bars of several series in one request, cursor-paged',
    description:
      'Up to 100 assets or commodities over one range, with the parameters of /data/{asset_id} (timeframe, tz, ' +
      'sort, limit) applied to each series as its own route would. Series come in request order, each range ' +
      'finished before the next; `limit` counts bars over all symbols. Follow next_page_token until it is null to ' +
      'get every bar of every series exactly once; a bar is never split across pages. A page reads at most ' +
      'RANGE_CAP_POINTS base rows and RANGE_MAX_EMPTY_BUCKETS empty months over all its series, so it may hold ' +
      "fewer bars than `limit` while next_page_token is set. A timeframe finer than any series' stored interval " +
      'answers 400 naming those series.',
  })
  @ApiOkResponse({ type: BarsPageDto })
  @ApiProblemResponses(400, 404, 503)
  async getBars(@Query() query: BarsQueryDto): Promise<BarsPageDto> {
    // The range parameters are RangeRequest's own names, so one added to RangeQueryDto reaches every series read.
    const { page_token: pageToken, ...range } = query;
    return barsPageDto(
      await this.multiSeries.readPage({ ...range, ...(pageToken === undefined ? {} : { pageToken }) }),
    );
  }
}
