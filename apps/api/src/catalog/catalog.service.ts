import { Injectable } from '@nestjs/common';
import {
  type CatalogEntry,
  CatalogRepository,
  type DataSource,
  DataSourceRepository,
  type PageQuery,
  type SeriesKind,
} from '@market/cassandra';
import { withCatalogTimeZone } from '@market/domain';
import { InvalidQueryError, ResourceNotFoundError } from '../errors/api-errors';
import { PageTokens } from '../paging/page-tokens';

export interface CatalogRequest {
  readonly limit: number;
  readonly offset?: number;
  readonly pageToken?: string;
}

export interface CatalogListing {
  readonly entries: CatalogEntry[];
  readonly nextPageToken: string | null;
}

// How many catalog rows one skip request reads while walking past `offset`.
const SKIP_PAGE = 5000;

/** The asset and commodity catalogs and the data sources. */
@Injectable()
export class CatalogService {
  constructor(
    private readonly catalog: CatalogRepository,
    private readonly sources: DataSourceRepository,
    private readonly pageTokens: PageTokens,
  ) {}

  async get(kind: SeriesKind, id: string): Promise<CatalogEntry> {
    const entry = await this.catalog.get(kind, id);
    if (entry === null) throw new ResourceNotFoundError(kind, id);
    return withTimeZone(entry);
  }

  /** A page of the catalog in its stable storage order, by offset or by cursor. */
  async list(kind: SeriesKind, request: CatalogRequest): Promise<CatalogListing> {
    if (request.offset !== undefined && request.pageToken !== undefined) {
      throw new InvalidQueryError('offset', "use either 'offset' or 'page_token', not both");
    }
    const query: PageQuery = { kind: `${kind}-catalog`, id: '', from: 0, to: 0, sort: 'asc' };
    let pageState = request.pageToken === undefined ? null : this.pageTokens.read(request.pageToken, query).pageState;
    if (request.offset !== undefined && request.offset > 0) {
      pageState = await this.skip(kind, request.offset);
      if (pageState === null) return { entries: [], nextPageToken: null };
    }
    const page = await this.catalog.list(kind, { fetchSize: request.limit, pageState });
    const nextPageToken =
      page.pageState === null
        ? null
        : this.pageTokens.issue(query, { bucketIndex: 0, pageState: page.pageState, lastTs: null });
    return { entries: page.entries.map(withTimeZone), nextPageToken };
  }

  async listSources(): Promise<DataSource[]> {
    return this.sources.list();
  }

  /** Walks past `offset` entries; the paging state after them, or null when the catalog ends first. */
  private async skip(kind: SeriesKind, offset: number): Promise<string | null> {
    let remaining = offset;
    let pageState: string | null = null;
    while (remaining > 0) {
      const page = await this.catalog.list(kind, { fetchSize: Math.min(remaining, SKIP_PAGE), pageState });
      remaining -= page.entries.length;
      pageState = page.pageState;
      if (pageState === null) return null;
    }
    return pageState;
  }
}

/**
 * Every entry shows `meta.timezone`: entries written before it existed get it by the default
 * rule (by source; UTC where unknown) until their next ingest writes it.
 */
function withTimeZone(entry: CatalogEntry): CatalogEntry {
  return { ...entry, meta: withCatalogTimeZone(entry.meta) };
}
