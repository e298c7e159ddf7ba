import { Module } from '@nestjs/common';
import { RangeExporter } from './range-exporter';

/** CSV, NDJSON and Parquet responses for any route that reads its data in pages. */
@Module({ providers: [RangeExporter], exports: [RangeExporter] })
export class ExportsModule {}
