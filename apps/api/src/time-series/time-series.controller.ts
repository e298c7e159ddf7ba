import { Controller, Get, Param, Query, Req, Res, type StreamableFile } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { ExportPageReader } from '@market/export';
import type { SeriesKind } from '@market/cassandra';
import { ApiProblemResponses } from '../errors/api-responses.decorator';
import { ProblemDto } from '../errors/problem.dto';
import { PricePageDto } from './dto/price-page.dto';
import { aggregatedBarDto, pricePointDto } from './dto/price-point.mapper';
import { MAX_LIMIT, RangeQueryDto } from './dto/range-query.dto';
import { adjustmentFieldsDto } from '../adjustments/dto/adjustment-docs';
import { InvalidQueryError } from '../errors/api-errors';
import { ApiExportResponses } from '../exports/api-export-responses.decorator';
import { isFileFormat, negotiateExportFormat } from '../exports/export-format';
import { exportPageOf } from '../exports/price-page-export';
import { RangeExporter } from '../exports/range-exporter';
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

/**
 * fill=previous: marks the items the page filled in. An export (`everyItem`) gives every row
 * the field, true or false, so a file's columns are the same on every page.
 */
function withFilled(dto: PricePageDto, filled: ReadonlySet<number> | undefined, everyItem = false): PricePageDto {
  if (filled === undefined) return dto;
  const mark = (item: PricePageDto['items'][number]) => {
    const isFilled = filled.has(Date.parse(item.ts));
    return isFilled || everyItem ? { ...item, filled: isFilled } : item;
  };
  return { ...dto, items: dto.items.map(mark) };
}

@ApiTags('time series')
@ApiExtraModels(ProblemDto)
@ApiProblemResponses(414, 429)
@RequireScopes(SCOPES.readData)
@Controller()
export class TimeSeriesController {
  constructor(
    private readonly timeSeries: TimeSeriesService,
    private readonly exporter: RangeExporter,
  ) {}

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
  @ApiExportResponses(PricePageDto)
  @ApiProblemResponses(400, 404, 406, 503)
  async getAssetRange(
    @Param('asset_id') assetId: string,
    @Query() query: RangeQueryDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<PricePageDto | StreamableFile> {
    return this.pageOrFile('asset', assetId, query, request, response);
  }

  @Get('commodities/:commodity_id/data')
  @ApiOperation({
    summary: "A commodity's bars in a time range, cursor-paged",
    description: 'The same contract as /data/{asset_id}.',
  })
  @ApiParam({ name: 'commodity_id', type: String, example: 'brent' })
  @ApiExportResponses(PricePageDto)
  @ApiProblemResponses(400, 404, 406, 503)
  async getCommodityRange(
    @Param('commodity_id') commodityId: string,
    @Query() query: RangeQueryDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<PricePageDto | StreamableFile> {
    return this.pageOrFile('commodity' satisfies SeriesKind, commodityId, query, request, response);
  }

  /** A JSON page, or the whole range as a file when Accept or `format=` asks for one. */
  private async pageOrFile(
    kind: SeriesKind,
    id: string,
    query: RangeQueryDto,
    request: Request,
    response: Response,
  ): Promise<PricePageDto | StreamableFile> {
    const format = negotiateExportFormat(query.format, request.headers.accept, (types) => request.accepts(types));
    if (isFileFormat(format)) {
      return this.exporter.export(request, response, format, this.exportReader(kind, id, query), id);
    }
    const page = await this.timeSeries.readRange(kind, id, this.request(query));
    return withFilled(pricePageDto(page), page.filled);
  }

  /** The JSON route's page read, page after page, for an export of the whole range. */
  private exportReader(kind: SeriesKind, id: string, query: RangeQueryDto): ExportPageReader {
    if (query.page_token !== undefined) {
      throw new InvalidQueryError('page_token', 'an export (csv, ndjson, parquet) is the whole range: no page_token');
    }
    const request = { ...this.request(query), limit: MAX_LIMIT };
    return async (pageToken) => {
      const page = await this.timeSeries.readRange(kind, id, { ...request, pageToken });
      return exportPageOf(withFilled(pricePageDto(page), page.filled, request.fill === 'previous'));
    };
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
