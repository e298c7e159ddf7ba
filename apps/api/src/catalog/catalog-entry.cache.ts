import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { type CatalogEntry, CatalogRepository, type SeriesKind } from '@market/cassandra';

/**
 * Catalog entries as range reads need them (existence for 404, bar interval for the range
 * cap), kept for a minute so that paging through a series costs one Cassandra query per
 * page, not two. Only hits are kept: a newly ingested asset is visible at once.
 */
@Injectable()
export class CatalogEntryCache {
  private readonly entries = new LRUCache<string, CatalogEntry>({ max: 10_000, ttl: 60_000 });

  constructor(private readonly catalog: CatalogRepository) {}

  async get(kind: SeriesKind, id: string): Promise<CatalogEntry | null> {
    const key = `${kind}\u0000${id}`;
    const cached = this.entries.get(key);
    if (cached !== undefined) return cached;
    const entry = await this.catalog.get(kind, id);
    if (entry !== null) this.entries.set(key, entry);
    return entry;
  }
}
