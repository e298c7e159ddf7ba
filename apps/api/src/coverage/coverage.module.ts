import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { CoverageController } from './coverage.controller';
import { CoverageService } from './coverage.service';

@Module({
  imports: [CatalogModule],
  controllers: [CoverageController],
  providers: [CoverageService],
})
export class CoverageModule {}
