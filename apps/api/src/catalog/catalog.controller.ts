import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { CatalogEntry, DataSource } from '@market/cassandra';
import { ApiProblemResponses } from '../errors/api-responses.decorator';
import { CatalogService, type CatalogRequest } from './catalog.service';
import { CatalogQueryDto } from './dto/catalog-query.dto';
import {
  AssetDto,
  AssetPageDto,
  CommodityDto,
  CommodityPageDto,
  type DataSourceDto,
  DataSourceListDto,
} from './dto/catalog.dto';
import { RequireScopes } from '../auth/require-scopes.decorator';
import { SCOPES } from '@market/auth';

const assetDto = (entry: CatalogEntry): AssetDto => ({
  asset_id: entry.id,
  symbol: entry.symbol,
  name: entry.name,
  meta: { ...entry.meta },
});

const commodityDto = (entry: CatalogEntry): CommodityDto => ({
  commodity_id: entry.id,
  symbol: entry.symbol,
  name: entry.name,
  meta: { ...entry.meta },
});

const sourceDto = (source: DataSource): DataSourceDto => ({
  source_id: source.sourceId,
  name: source.name,
  url: source.url,
  meta: { ...source.meta },
});

function catalogRequest(query: CatalogQueryDto): CatalogRequest {
  return {
    limit: query.limit,
    ...(query.offset === undefined ? {} : { offset: query.offset }),
    ...(query.page_token === undefined ? {} : { pageToken: query.page_token }),
  };
}

@ApiTags('catalog')
@ApiProblemResponses(414, 429)
@RequireScopes(SCOPES.readAssets)
@Controller()
export class CatalogController {
  constructor(private readonly catalog: CatalogService) {}

  @Get('assets')
  @ApiOperation({
    summary: 'The asset catalog',
    description: 'In a stable storage order; page with limit+offset or page_token.',
  })
  @ApiOkResponse({ type: AssetPageDto })
  @ApiProblemResponses(400, 503)
  async listAssets(@Query() query: CatalogQueryDto): Promise<AssetPageDto> {
    const listing = await this.catalog.list('asset', catalogRequest(query));
    return { items: listing.entries.map(assetDto), next_page_token: listing.nextPageToken };
  }

  @Get('assets/:asset_id')
  @ApiOperation({ summary: 'One asset' })
  @ApiParam({ name: 'asset_id', type: String, example: 'AAPL' })
  @ApiOkResponse({ type: AssetDto })
  @ApiProblemResponses(400, 404, 503)
  async getAsset(@Param('asset_id') assetId: string): Promise<AssetDto> {
    return assetDto(await this.catalog.get('asset', assetId));
  }

  @Get('commodities')
  @ApiOperation({
    summary: 'The commodity catalog',
    description: 'In a stable storage order; page with limit+offset or page_token.',
  })
  @ApiOkResponse({ type: CommodityPageDto })
  @ApiProblemResponses(400, 503)
  async listCommodities(@Query() query: CatalogQueryDto): Promise<CommodityPageDto> {
    const listing = await this.catalog.list('commodity', catalogRequest(query));
    return { items: listing.entries.map(commodityDto), next_page_token: listing.nextPageToken };
  }

  @Get('commodities/:commodity_id')
  @ApiOperation({ summary: 'One commodity' })
  @ApiParam({ name: 'commodity_id', type: String, example: 'brent' })
  @ApiOkResponse({ type: CommodityDto })
  @ApiProblemResponses(400, 404, 503)
  async getCommodity(@Param('commodity_id') commodityId: string): Promise<CommodityDto> {
    return commodityDto(await this.catalog.get('commodity', commodityId));
  }

  @Get('sources')
  @ApiOperation({ summary: 'The data sources, with provenance metadata' })
  @ApiOkResponse({ type: DataSourceListDto })
  @ApiProblemResponses(503)
  async listSources(): Promise<DataSourceListDto> {
    return { items: (await this.catalog.listSources()).map(sourceDto) };
  }
}
