import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export const MAX_CATALOG_LIMIT = 1000;
export const MAX_CATALOG_OFFSET = 100_000;

/** Paging of a catalog: `limit` with either `offset` (as in the seed's demo) or `page_token`. */
export class CatalogQueryDto {
  @ApiProperty({ type: 'integer', required: false, minimum: 1, maximum: MAX_CATALOG_LIMIT, default: 100, example: 5 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_CATALOG_LIMIT)
  limit: number = 100;

  @ApiProperty({
    type: 'integer',
    required: false,
    minimum: 0,
    maximum: MAX_CATALOG_OFFSET,
    default: 0,
    example: 0,
    description: 'Entries to skip; not together with page_token',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_CATALOG_OFFSET)
  offset?: number;

  @ApiProperty({ type: String, required: false, description: 'The next_page_token of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  page_token?: string;
}
