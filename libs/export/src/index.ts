export {
  type ExportColumn,
  type ExportColumnType,
  type ExportRow,
  type ExportValue,
  exportColumns,
  exportColumnsOf,
} from './export-columns';
export { csvHeader, csvRecords } from './csv-records';
export { DecimalOutOfRangeError, PARQUET_DECIMAL, unscaledDecimal } from './decimal128';
export {
  PARQUET_ROW_GROUP_ROWS,
  parquetByteStream,
  parquetRecordBatch,
  parquetWriterProperties,
} from './parquet-batch';
export {
  type ExportFileFormat,
  type ExportOptions,
  type ExportPage,
  type ExportPageReader,
  ExportRowCapError,
  openExport,
} from './export-stream';
