import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { SeriesKind } from '@market/cassandra';
import { ApiProblemResponses } from '../errors/api-responses.decorator';
import { ProblemDto } from '../errors/problem.dto';
import { PricePageDto } from './dto/price-page.dto';
import { aggregatedBarDto, pricePointDto } from './dto/price-point.mapper';
import { RangeQueryDto } from './dto/range-query.dto';
import { adjustmentFieldsDto } from '../adjustments/dto/adjustment-docs';
import { type RangePage, TimeSeriesService } from './time-series.service';
import { RequireScopes } from '../auth/require-scopes.decorator';
import { SCOPES } from '@market/auth';

function pricePageDto(page: RangePage): PricePageDto {
  const { aggregation } = page;
  return {
    id: page.id,
    from: page.from.toISOString(),
    to: page.to.toISOString(),
    sort: page.sort,
    ...(aggregation === undefined ? {} : { timeframe: aggregation.timeframe, tz: aggregation.tz }),
    ...adjustmentFieldsDto(page.adjustment),
    items: aggregation === undefined ? page.points.map(pricePointDto) : aggregation.bars.map(aggregatedBarDto),
    next_page_token: page.nextPageToken,
  };
}

/** fill=previous: marks the items the page filled in. */
function withFilled(dto: PricePageDto, filled: ReadonlySet<number> | undefined): PricePageDto {
  if (filled === undefined) return dto;
  return {
    ...dto,
    items: dto.items.map((item) => (filled.has(Date.parse(item.ts)) ? { ...item, filled: true } : item)),
  };
}

@ApiTags('time series')
@ApiExtraModels(ProblemDto)
@ApiProblemResponses(414, 429)
@RequireScopes(SCOPES.readData)
@Controller()
export class TimeSeriesController {
  constructor(private readonly timeSeries: TimeSeriesService) {}

  @Get('data/:asset_id')
  @ApiOperation({
    summary: "An asset's bars in a time range, cursor-paged",
    description:
      'Rows come in ts order (sort=asc oldest first, sort=desc newest first). Follow next_page_token until it is null ' +
      'to get every row of the range exactly once. Any span is accepted (the read is clamped to the bars the series ' +
      'holds); each request reads at most `limit` rows and a bounded number of empty months ' +
      '(RANGE_MAX_EMPTY_BUCKETS), so a page may hold fewer rows than `limit`, even none, while next_page_token is set. ' +
      'A `limit` above RANGE_CAP_POINTS (base rows per request) answers 400. ' +
      'With `timeframe` coarser than the stored interval the items are aggregated bars (exact decimals, `bar_count`, ' +
      "`complete`), aligned in the series' time zone or `tz`; a page holds whole bars only and reads at most " +
      'RANGE_CAP_POINTS base rows.',
  })
  @ApiParam({ name: 'asset_id', type: String, example: 'AAPL' })
  @ApiOkResponse({ type: PricePageDto })
  @ApiProblemResponses(400, 404, 503)
  async getAssetRange(@Param('asset_id') assetId: string, @Query() query: RangeQueryDto): Promise<PricePageDto> {
    const page = await this.timeSeries.readRange('asset', assetId, this.request(query));
    return withFilled(pricePageDto(page), page.filled);
  }

  @Get('commodities/:commodity_id/data')
  @ApiOperation({
    summary: "A commodity's bars in a time range, cursor-paged",
    description: 'The same contract as /data/{asset_id}.',
  })
  @ApiParam({ name: 'commodity_id', type: String, example: 'brent' })
  @ApiOkResponse({ type: PricePageDto })
  @ApiProblemResponses(400, 404, 503)
  async getCommodityRange(
    @Param('commodity_id') commodityId: string,
    @Query() query: RangeQueryDto,
  ): Promise<PricePageDto> {
    const page = await this.timeSeries.readRange('commodity' satisfies SeriesKind, commodityId, this.request(query));
    return withFilled(pricePageDto(page), page.filled);
  }

  private request(query: RangeQueryDto) {
    return {
      ...(query.from === undefined ? {} : { from: query.from }),
      ...(query.to === undefined ? {} : { to: query.to }),
      limit: query.limit,
      sort: query.sort,
      ...(query.timeframe === undefined ? {} : { timeframe: query.timeframe }),
      ...(query.tz === undefined ? {} : { tz: query.tz }),
      ...(query.fill === undefined ? {} : { fill: query.fill }),
      ...(query.adjustment === undefined ? {} : { adjustment: query.adjustment }),
      ...(query.adjustment_asof === undefined ? {} : { adjustmentAsof: query.adjustment_asof }),
      ...(query.page_token === undefined ? {} : { pageToken: query.page_token }),
    };
  }
}
