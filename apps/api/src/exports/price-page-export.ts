import { type ExportPage, type ExportRow, exportColumnsOf } from '@market/export';
import type { PricePageDto } from '../time-series/dto/price-page.dto';

/** The columns of an export with no row at all: the JSON items' fields. */
const RAW_COLUMNS = ['ts', 'price', 'open', 'high', 'low', 'volume', 'source_id'];
const AGGREGATED_COLUMNS = [...RAW_COLUMNS, 'bar_count', 'complete'];

/** A JSON page as export rows: the very items the JSON route serves, one row each. */
export function exportPageOf(page: PricePageDto): ExportPage {
  // The items are plain objects of ExportValue fields (text, numbers, booleans, null).
  const rows = page.items as unknown as readonly ExportRow[];
  return {
    rows,
    columns: exportColumnsOf(rows, page.timeframe === undefined ? RAW_COLUMNS : AGGREGATED_COLUMNS),
    nextPageToken: page.next_page_token,
  };
}
