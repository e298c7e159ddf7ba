import type { ApiClient } from './api-client';
import { rangeParams, rangePath, type ViewParams } from './series-pages';

export type ExportFormat = 'csv' | 'parquet';

/** What the last download asked for (the page's state shows it). */
export interface DownloadRecord {
  readonly format: ExportFormat;
  readonly url: string;
  readonly fileName: string;
  readonly bytes: number;
}

/**
 * Downloads the bars starting in [from, to] (the visible range) as one file through the
 * range route's export (`format=`), with the same timeframe, zone and adjustment as the chart.
 * Fetched with the tab's credentials, then handed to the browser as a blob.
 */
export async function downloadRange(
  api: ApiClient,
  view: ViewParams,
  from: string,
  to: string,
  format: ExportFormat,
): Promise<DownloadRecord> {
  const path = rangePath(view.kind, view.id);
  const params = { ...rangeParams(view), from, to, format };
  const blob = await api.file(path, params);
  const stamp = (iso: string): string => iso.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const fileName = `${view.id}_${view.timeframe}_${stamp(from)}_${stamp(to)}.${format}`;
  const href = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = href;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(href), 60_000);
  const url = api.requests.at(-1)?.url ?? path;
  return { format, url, fileName, bytes: blob.size };
}
