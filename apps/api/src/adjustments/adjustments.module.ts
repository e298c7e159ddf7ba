import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { CorporateActionsController } from './corporate-actions.controller';
import { CorporateActionsService } from './corporate-actions.service';

@Module({
  imports: [CatalogModule],
  controllers: [CorporateActionsController],
  providers: [CorporateActionsService],
  exports: [CorporateActionsService],
})
export class AdjustmentsModule {}
