import { ApiProperty } from '@nestjs/swagger';

const META = {
  type: 'object',
  additionalProperties: { type: 'string' },
  description:
    'Provenance and descriptive metadata (e.g. exchange, currency, interval). Always holds `timezone`: the IANA ' +
    'zone aggregated bars align to (America/New_York for US equities, UTC where unknown).',
  example: { exchange: 'NASDAQ', currency: 'USD', interval: '1m', timezone: 'America/New_York' },
} as const;

export class AssetDto {
  @ApiProperty({ type: String, example: 'AAPL' })
  asset_id!: string;

  @ApiProperty({ type: String, nullable: true, example: 'AAPL' })
  symbol!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'Apple Inc.' })
  name!: string | null;

  @ApiProperty(META)
  meta!: Record<string, string>;
}

export class CommodityDto {
  @ApiProperty({ type: String, example: 'brent' })
  commodity_id!: string;

  @ApiProperty({ type: String, nullable: true, example: 'BZ=F' })
  symbol!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'Brent crude oil' })
  name!: string | null;

  @ApiProperty(META)
  meta!: Record<string, string>;
}

const NEXT = {
  type: String,
  nullable: true,
  description: 'Pass as page_token for the next page; null on the last page',
} as const;

export class AssetPageDto {
  @ApiProperty({ type: [AssetDto] })
  items!: AssetDto[];

  @ApiProperty(NEXT)
  next_page_token!: string | null;
}

export class CommodityPageDto {
  @ApiProperty({ type: [CommodityDto] })
  items!: CommodityDto[];

  @ApiProperty(NEXT)
  next_page_token!: string | null;
}

export class DataSourceDto {
  @ApiProperty({ type: String, example: 'yahoo' })
  source_id!: string;

  @ApiProperty({ type: String, nullable: true, example: 'Yahoo Finance chart API' })
  name!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'https://query1.finance.yahoo.com' })
  url!: string | null;

  @ApiProperty(META)
  meta!: Record<string, string>;
}

export class DataSourceListDto {
  @ApiProperty({ type: [DataSourceDto] })
  items!: DataSourceDto[];
}
