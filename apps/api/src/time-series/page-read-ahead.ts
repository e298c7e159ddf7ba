import { LRUCache } from 'lru-cache';

/** At most this many points wait in read-ahead pages, across all clients (a few MB). */
const MAX_WAITING_POINTS = 50_000;
/** A page nobody asked for within this time is dropped: the client stopped paging. */
const WAITING_MS = 30_000;

/**
 * Pages read one step ahead for clients that are paging. A client following
 * next_page_token spends time between requests (sending, parsing, its own work); the read
 * of its next page runs meanwhile, so the Cassandra read and the client's work overlap
 * instead of adding up. Which requests start one is the caller's to decide (the time-series
 * service: clients that are paging, never a dashboard's single small first page).
 *
 * A read-ahead page is what the same request would have read a moment earlier: rows
 * written in between may or may not appear, as with any cursor, and no row is repeated or
 * skipped, since it continues from the same Cassandra paging state.
 */
export class PageReadAhead<Page> {
  private readonly waiting = new LRUCache<string, Promise<Page>>({
    // Each page is sized by the points it may hold, known before it is read.
    maxSize: MAX_WAITING_POINTS,
    ttl: WAITING_MS,
  });

  /** Starts reading `points` points for `key` unless that read is already under way. */
  start(key: string, points: number, read: () => Promise<Page>): void {
    const sizedKey = `${points}:${key}`;
    if (this.waiting.has(sizedKey)) return;
    const page = read();
    // Its failure belongs to the request that takes it (which then reads again), not to now.
    page.catch(() => undefined);
    this.waiting.set(sizedKey, page, { size: Math.min(Math.max(points, 1), MAX_WAITING_POINTS) });
  }

  /** The page read ahead for `key`, once; undefined when there is none. */
  take(key: string, points: number): Promise<Page> | undefined {
    const sizedKey = `${points}:${key}`;
    const page = this.waiting.get(sizedKey);
    if (page !== undefined) this.waiting.delete(sizedKey);
    return page;
  }
}
