import { Module } from '@nestjs/common';
import { PageTokens } from '../paging/page-tokens';
import { CatalogEntryCache } from './catalog-entry.cache';
import { CatalogController } from './catalog.controller';
import { CatalogService } from './catalog.service';

@Module({
  controllers: [CatalogController],
  providers: [CatalogService, CatalogEntryCache, PageTokens],
  exports: [CatalogEntryCache],
})
export class CatalogModule {}
