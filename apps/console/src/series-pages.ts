import type { ApiClient } from './api-client';
import type { Adjustment, PricePage, PricePoint, SeriesKind, Timeframe } from './api-types';

/** What the chart shows: a series, its bar width, zone, adjustment and (optionally) a fixed range. */
export interface ViewParams {
  readonly kind: SeriesKind;
  readonly id: string;
  readonly timeframe: Timeframe;
  readonly adjustment: Adjustment;
  /** The zone bars are aligned and labelled in. */
  readonly tz: string;
  /** The series' own zone: `tz` is sent only when it differs (the API then aggregates in it). */
  readonly seriesZone: string;
  readonly from?: string;
  readonly to?: string;
}

/** Bars per request: a screen and a half of candles at a readable width. */
export const PAGE_SIZE = 500;

/** The range route of a series (JSON pages, or files with `format=`). */
export function rangePath(kind: SeriesKind, id: string): string {
  const encoded = encodeURIComponent(id);
  return kind === 'asset' ? `/api/v1/data/${encoded}` : `/api/v1/commodities/${encoded}/data`;
}

/** The query parameters of a range read (pages and exports alike), as the API names them. */
export function rangeParams(view: ViewParams): Record<string, string | undefined> {
  return {
    timeframe: view.timeframe,
    tz: view.tz === view.seriesZone ? undefined : view.tz,
    adjustment: view.adjustment === 'raw' ? undefined : view.adjustment,
  };
}

/**
 * The loaded bars of one view, oldest first. The newest page comes first (sort=desc); older
 * pages follow next_page_token as the user scrolls back. A view change starts a new
 * generation, so an answer to an older view is dropped.
 */
export class SeriesPages {
  private points: PricePoint[] = [];
  private nextPageToken: string | null = null;
  private generation = 0;
  private pending: Promise<boolean> | null = null;
  pagesLoaded = 0;

  constructor(private readonly api: ApiClient) {}

  get bars(): readonly PricePoint[] {
    return this.points;
  }

  get hasOlder(): boolean {
    return this.nextPageToken !== null;
  }

  get loading(): boolean {
    return this.pending !== null;
  }

  /** Loads the newest page of `view`; false when a newer view replaced it meanwhile. */
  async open(view: ViewParams): Promise<boolean> {
    this.generation += 1;
    this.points = [];
    this.nextPageToken = null;
    this.pagesLoaded = 0;
    this.pending = null;
    return this.fetchPage(view, undefined);
  }

  /** Loads the page before the oldest loaded bar; false when there is none or one is on its way. */
  async older(view: ViewParams): Promise<boolean> {
    if (this.nextPageToken === null || this.pending !== null) return false;
    return this.fetchPage(view, this.nextPageToken);
  }

  private async fetchPage(view: ViewParams, pageToken: string | undefined): Promise<boolean> {
    const generation = this.generation;
    const request = this.api
      .json<PricePage>('data', rangePath(view.kind, view.id), {
        ...rangeParams(view),
        from: view.from,
        to: view.to,
        sort: 'desc',
        limit: PAGE_SIZE,
        page_token: pageToken,
      })
      .then((page) => {
        if (generation !== this.generation) return false;
        this.points = [...[...page.items].reverse(), ...this.points];
        this.nextPageToken = page.next_page_token;
        this.pagesLoaded += 1;
        return true;
      });
    this.pending = request;
    try {
      return await request;
    } finally {
      if (this.pending === request) this.pending = null;
    }
  }
}
