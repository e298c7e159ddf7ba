import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiProduces, getSchemaPath } from '@nestjs/swagger';
import { EXPORT_MEDIA_TYPES } from './export-format';

const FILE_DESCRIPTION =
  'In a file format (Accept or `format=`) the body is the whole range as one file, streamed: ' +
  'CSV (RFC 4180, CRLF, a header record; null is an empty field), NDJSON (one JSON item per line), or ' +
  'Parquet (prices DECIMAL(38,20), ts TIMESTAMP(MILLIS, UTC), volume INT64, text dictionary-encoded, zstd). ' +
  "The columns are the JSON items' fields. gzip with Accept-Encoding: gzip. More rows than EXPORT_MAX_ROWS: " +
  '400 when known before the first byte, else the transfer is cut (never a silently short file).';

/** The 200 of a range route: a JSON page, or the whole range as a CSV, NDJSON or Parquet file. */
export function ApiExportResponses(pageModel: abstract new () => unknown) {
  return applyDecorators(
    ApiExtraModels(pageModel),
    ApiProduces(...Object.values(EXPORT_MEDIA_TYPES)),
    ApiOkResponse({
      description: `A page of the range (JSON). ${FILE_DESCRIPTION}`,
      content: {
        [EXPORT_MEDIA_TYPES.json]: { schema: { $ref: getSchemaPath(pageModel) } },
        [EXPORT_MEDIA_TYPES.csv]: { schema: { type: 'string' } },
        [EXPORT_MEDIA_TYPES.ndjson]: { schema: { type: 'string' } },
        [EXPORT_MEDIA_TYPES.parquet]: { schema: { type: 'string', format: 'binary' } },
      },
    }),
  );
}
