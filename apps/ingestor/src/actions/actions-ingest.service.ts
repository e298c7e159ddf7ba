import { Injectable, Logger } from '@nestjs/common';
import { CorporateActionRepository } from '@market/cassandra';
import { type CorporateAction, corporateActionProblem } from '@market/domain';
import type { SeriesTarget } from '../ingest/ingest.service';
import { ProviderRegistry } from '../providers/provider-registry';

/** What one refresh of a series' actions did. */
export interface ActionsRefresh {
  readonly written: number;
  readonly rejected: number;
}

/**
 * Corporate actions with the bars: a job that has written a window's bars asks its provider
 * for the splits and dividends of the window (if the provider publishes them) and stores
 * them raw. Re-asking is harmless: the same action writes the same row.
 */
@Injectable()
export class ActionsIngestService {
  private readonly logger = new Logger(ActionsIngestService.name);

  constructor(
    private readonly providers: ProviderRegistry,
    private readonly actions: CorporateActionRepository,
  ) {}

  /** Fetches and stores the actions of `[from, to)`; null when the provider publishes none. */
  async refresh(
    target: SeriesTarget,
    window: { readonly from: Date; readonly to: Date },
    signal?: AbortSignal,
  ): Promise<ActionsRefresh | null> {
    const provider = this.providers.get(target.provider);
    if (provider.fetchActions === undefined) return null;
    const reported = await provider.fetchActions({ symbol: target.symbol, ...window }, signal);
    const accepted: CorporateAction[] = [];
    for (const action of reported) {
      const stored: CorporateAction = { ...action, sourceId: provider.id };
      const problem = corporateActionProblem(stored);
      if (problem === null) accepted.push(stored);
      else this.logger.warn(`${provider.id} ${target.symbol}: action of ${action.exDate} rejected: ${problem}`);
    }
    await this.actions.upsert(target.kind, target.seriesId, accepted, new Date());
    return { written: accepted.length, rejected: reported.length - accepted.length };
  }
}
