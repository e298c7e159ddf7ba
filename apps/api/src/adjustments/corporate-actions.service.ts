import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { LRUCache } from 'lru-cache';
import { CorporateActionRepository, RangeReader, type SeriesKind } from '@market/cassandra';
import {
  type ActionToApply,
  type StoredCorporateAction,
  PriceAdjustment,
  catalogTimeZone,
  effectiveActions,
  exDateStartMs,
  isExDate,
  parseIsoInstant,
  parseTimeZone,
} from '@market/domain';
import { CatalogEntryCache } from '../catalog/catalog-entry.cache';
import { apiConfig } from '../config/api.config';
import { InvalidQueryError, ResourceNotFoundError } from '../errors/api-errors';
import type { AppliedAdjustment } from './adjusted-page';

/**
 * A dividend's reference close (the raw close of the last bar before its ex-date) is kept
 * this long per process: it changes only if bars before the ex-date are re-written, and
 * without it every adjusted page would read one bar per dividend of the series.
 */
const REFERENCE_CLOSE_TTL_MS = 60_000;
const REFERENCE_CLOSE_ENTRIES = 50_000;

/** The earliest instant a bucket can name: the reader clamps it to the series' first bar. */
const OPEN_FROM = new Date('0001-01-01T00:00:00Z');

/** A reference-close walk that meets only empty months stops after this many pages (each bounded). */
const MAX_REFERENCE_PAGES = 4;

/**
 * Corporate actions on the read side: the list route, and the adjustment of a series for
 * one read (its actions, each dividend's reference close, the series' zone for ex-dates).
 */
@Injectable()
export class CorporateActionsService {
  constructor(
    private readonly actions: CorporateActionRepository,
    private readonly ranges: RangeReader,
    private readonly catalog: CatalogEntryCache,
    @Inject(apiConfig.KEY) private readonly config: ConfigType<typeof apiConfig>,
  ) {}

  private readonly referenceCloses = new LRUCache<string, { close: string | null }>({
    max: REFERENCE_CLOSE_ENTRIES,
    ttl: REFERENCE_CLOSE_TTL_MS,
  });

  /** The actions of a series with an ex-date in [from, to] (dates `YYYY-MM-DD`, or ISO instants whose UTC date counts). */
  async list(kind: SeriesKind, id: string, from?: string, to?: string): Promise<StoredCorporateAction[]> {
    const fromDay = from === undefined ? undefined : dayParameter(from, 'from');
    const toDay = to === undefined ? undefined : dayParameter(to, 'to');
    if (fromDay !== undefined && toDay !== undefined && toDay < fromDay) {
      throw new InvalidQueryError('to', `'to' (${toDay}) must not be before 'from' (${fromDay})`);
    }
    if ((await this.catalog.get(kind, id)) === null) throw new ResourceNotFoundError(kind, id);
    return this.actions.list(kind, id, fromDay, toDay);
  }

  /**
   * The adjustment of one series for one read: one partition read of its actions, plus one
   * bounded read per dividend whose reference close is not cached. The catalog entry must
   * exist (the caller has looked it up).
   */
  async adjustmentOf(kind: SeriesKind, id: string, applied: AppliedAdjustment): Promise<PriceAdjustment> {
    const { adjustment, asof } = applied;
    const entry = await this.catalog.get(kind, id);
    if (entry === null) throw new ResourceNotFoundError(kind, id);
    const zone = parseTimeZone(catalogTimeZone(entry.meta));
    const stored = effectiveActions(await this.actions.list(kind, id));
    const toApply = await Promise.all(
      stored.map(async (action): Promise<ActionToApply> => {
        if (action.type === 'split') return action;
        const cut = exDateStartMs(action.exDate, zone);
        const wanted = adjustment === 'dividend' || adjustment === 'all';
        const referenceClose = wanted && cut <= asof ? await this.referenceClose(kind, id, cut) : null;
        return { ...action, referenceClose };
      }),
    );
    return PriceAdjustment.of(toApply, adjustment, asof, zone);
  }

  /** The raw close of the series' last bar before `cut`; null when none is stored. */
  private async referenceClose(kind: SeriesKind, id: string, cut: number): Promise<string | null> {
    const key = `${kind}\u0000${id}\u0000${cut}`;
    const cached = this.referenceCloses.get(key);
    if (cached !== undefined) return cached.close;
    let position = null;
    let close: string | null = null;
    for (let pages = 0; pages < MAX_REFERENCE_PAGES; pages += 1) {
      const page = await this.ranges.readPage({
        kind,
        seriesId: id,
        from: OPEN_FROM,
        to: new Date(cut - 1),
        order: 'desc',
        limit: 1,
        position,
        maxEmptyBuckets: this.config.rangeMaxEmptyBuckets,
      });
      close = page.points[0]?.price ?? null;
      if (close !== null || page.next === null) break;
      position = page.next;
    }
    this.referenceCloses.set(key, { close });
    return close;
  }
}

function dayParameter(text: string, parameter: 'from' | 'to'): string {
  if (isExDate(text)) return text;
  const parsed = parseIsoInstant(text);
  if (!parsed.ok) throw new InvalidQueryError(parameter, `'${parameter}' ${parsed.why} (got "${text.slice(0, 64)}")`);
  return parsed.instant.toISOString().slice(0, 10);
}
