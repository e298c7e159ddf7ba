import { Controller, Get, Query, Req, Res, type StreamableFile } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { SCOPES } from '@market/auth';
import { RequireScopes } from '../auth/require-scopes.decorator';
import { ApiProblemResponses } from '../errors/api-responses.decorator';
import { ProblemDto } from '../errors/problem.dto';
import { ApiExportResponses } from '../exports/api-export-responses.decorator';
import { barsExportReader } from '../exports/bars-page-export';
import { isFileFormat, negotiateExportFormat } from '../exports/export-format';
import { RangeExporter } from '../exports/range-exporter';
import { BarsPageDto } from './dto/bars-page.dto';
import { BarsQueryDto } from './dto/bars-query.dto';
import { MAX_LIMIT } from './dto/range-query.dto';
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
  constructor(
    private readonly multiSeries: MultiSeriesService,
    private readonly exporter: RangeExporter,
  ) {}

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
      'answers 400 naming those series. As a file (Accept or `format=`), every bar of every series, with a leading ' +
      '`symbol` column (the symbol as requested), series in request order.',
  })
  @ApiExportResponses(BarsPageDto)
  @ApiProblemResponses(400, 404, 406, 503)
  async getBars(
    @Query() query: BarsQueryDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<BarsPageDto | StreamableFile> {
    // The range parameters are RangeRequest's own names, so one added to RangeQueryDto reaches every series read.
    const { page_token: pageToken, format, adjustment_asof: adjustmentAsof, ...range } = query;
    const barsRequest = { ...range, ...(adjustmentAsof === undefined ? {} : { adjustmentAsof }) };
    const chosen = negotiateExportFormat(format, request.headers.accept, (types) => request.accepts(types));
    if (isFileFormat(chosen)) {
      const readPage = barsExportReader((page) => this.multiSeries.readPage(page), barsRequest, pageToken, MAX_LIMIT);
      return this.exporter.export(request, response, chosen, readPage, 'bars');
    }
    return barsPageDto(
      await this.multiSeries.readPage({ ...barsRequest, ...(pageToken === undefined ? {} : { pageToken }) }),
    );
  }
}
