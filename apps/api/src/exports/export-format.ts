import type { ExportFileFormat } from '@market/export';

export const EXPORT_FORMATS = ['json', 'csv', 'ndjson', 'parquet'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The media type each format is served as (and asked for in Accept). */
export const EXPORT_MEDIA_TYPES: Readonly<Record<ExportFormat, string>> = {
  json: 'application/json',
  csv: 'text/csv',
  ndjson: 'application/x-ndjson',
  parquet: 'application/vnd.apache.parquet',
};

/** Neither `format` nor Accept names a media type the route serves. */
export class NotAcceptableError extends Error {
  override readonly name = 'NotAcceptableError';

  constructor(accept: string) {
    super(
      `Accept "${accept.slice(0, 200)}" names no type this route serves: ` +
        `${Object.values(EXPORT_MEDIA_TYPES).join(', ')} (or use format=json|csv|ndjson|parquet)`,
    );
  }
}

/**
 * The format of a range response: `format=` when given (browsers cannot set Accept), else the
 * best of Accept as `accepts` ranks it (q-values, then the order above, JSON first for wildcards
 * and for no Accept at all).
 */
export function negotiateExportFormat(
  format: ExportFormat | undefined,
  accept: string | undefined,
  accepts: (mediaTypes: string[]) => string | false,
): ExportFormat {
  if (format !== undefined) return format;
  // What most clients send (none, curl's wildcard, JSON itself) ranks JSON first: answered
  // without running the Accept parser on every page.
  if (accept === undefined || accept === '*/*' || accept === 'application/json') return 'json';
  const chosen = accepts(Object.values(EXPORT_MEDIA_TYPES));
  const match = EXPORT_FORMATS.find((candidate) => EXPORT_MEDIA_TYPES[candidate] === chosen);
  if (match === undefined) throw new NotAcceptableError(accept ?? '');
  return match;
}

/** True for the formats that stream the whole range as one file. */
export function isFileFormat(format: ExportFormat): format is ExportFileFormat {
  return format !== 'json';
}
