import type { ExportColumn, ExportRow, ExportValue } from './export-columns';

/** RFC 4180: records end in CRLF; a field holding a comma, a quote, CR or LF is quoted. */
const NEEDS_QUOTES = /[",\r\n]/;

function csvField(value: ExportValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** The header record of a CSV export. */
export function csvHeader(columns: readonly ExportColumn[]): string {
  return `${columns.map((column) => csvField(column.name)).join(',')}\r\n`;
}

/** The CSV records of these rows: values as served (exact decimal text), null as an empty field. */
export function csvRecords(columns: readonly ExportColumn[], rows: readonly ExportRow[]): string {
  const names = columns.map((column) => column.name);
  let text = '';
  // Appended field by field, with no array per row: a year of minutes is 98,280 records.
  for (const row of rows) {
    for (let index = 0; index < names.length; index += 1) {
      if (index > 0) text += ',';
      text += csvField(row[names[index] ?? '']);
    }
    text += '\r\n';
  }
  return text;
}
