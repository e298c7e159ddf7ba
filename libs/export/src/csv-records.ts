import type { ExportColumn, ExportRow, ExportValue } from './export-columns';

/** RFC 4180: records end in CRLF; a field holding a comma, a quote, CR or LF is quoted. */
const NEEDS_QUOTES = /[",\r\n]/;

function csvField(value: ExportValue | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The header record of a CSV export. */
export function csvHeader(columns: readonly ExportColumn[]): string {
  return `${columns.map((column) => csvField(column.name)).join(',')}\r\n`;
}

/** The CSV records of these rows: values as served (exact decimal text), null as an empty field. */
export function csvRecords(columns: readonly ExportColumn[], rows: readonly ExportRow[]): string {
  let text = '';
  for (const row of rows) {
    text += `${columns.map((column) => csvField(row[column.name])).join(',')}\r\n`;
  }
  return text;
}
