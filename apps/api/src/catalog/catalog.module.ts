import { Module } from '@nestjs/common';
import { PageTokens } from '../paging/page-tokens';
import { CatalogController } from './catalog.controller';
import { CatalogService } from './catalog.service';

@Module({
  controllers: [CatalogController],
  providers: [CatalogService, PageTokens],
})
export class CatalogModule {}
