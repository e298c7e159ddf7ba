import { type ExportPage, type ExportPageReader, type ExportRow, exportColumnsOf } from '@market/export';
import { InvalidQueryError } from '../errors/api-errors';
import { aggregatedBarDto, pricePointDto } from '../time-series/dto/price-point.mapper';
import type { MultiSeriesPage, MultiSeriesRequest } from '../time-series/multi-series.service';

/** The columns of an export with no row at all: `symbol`, then the JSON items' fields. */
const RAW_COLUMNS = ['symbol', 'ts', 'price', 'open', 'high', 'low', 'volume', 'source_id'];
const AGGREGATED_COLUMNS = [...RAW_COLUMNS, 'bar_count', 'complete'];

/**
 * A page of `GET /bars` as export rows: each series' items in request order (from the page's
 * series list, not the JSON object, whose integer-like keys would come first), each with its
 * symbol as requested in a leading `symbol` column.
 */
export function barsExportPageOf(page: MultiSeriesPage, request: Omit<MultiSeriesRequest, 'limit'>): ExportPage {
  const rows: ExportRow[] = page.series.flatMap(({ symbol, page: seriesPage }) => {
    const items =
      seriesPage.aggregation === undefined
        ? seriesPage.points.map(pricePointDto)
        : seriesPage.aggregation.bars.map(aggregatedBarDto);
    // The items are plain objects of ExportValue fields (text, numbers, booleans, null).
    return items.map((item) => ({ symbol, ...(item as unknown as ExportRow) }));
  });
  const fallback = request.timeframe === undefined ? RAW_COLUMNS : AGGREGATED_COLUMNS;
  const adjusted = request.adjustment !== undefined && request.adjustment !== 'raw';
  return {
    rows,
    columns: exportColumnsOf(rows, adjusted ? [...fallback, 'adjustment_factor'] : fallback),
    nextPageToken: page.nextPageToken,
  };
}

/** The multi-series page read, page after page (5,000 bars each), for an export of the whole request. */
export function barsExportReader(
  readPage: (request: MultiSeriesRequest) => Promise<MultiSeriesPage>,
  request: Omit<MultiSeriesRequest, 'limit' | 'pageToken'>,
  clientPageToken: string | undefined,
  pageLimit: number,
): ExportPageReader {
  if (clientPageToken !== undefined) {
    throw new InvalidQueryError('page_token', 'an export (csv, ndjson, parquet) is the whole range: no page_token');
  }
  return async (pageToken) =>
    barsExportPageOf(
      await readPage({ ...request, limit: pageLimit, ...(pageToken === undefined ? {} : { pageToken }) }),
      request,
    );
}
