import { Injectable } from '@nestjs/common';
import { type PricePoint, QuoteRepository } from '@market/cassandra';
import { ResourceNotFoundError } from '../errors/api-errors';

@Injectable()
export class QuotesService {
  constructor(private readonly quotes: QuoteRepository) {}

  /** The latest quote of an asset: one single-row read of latest_quote_by_asset. */
  async latest(assetId: string): Promise<PricePoint> {
    const quote = await this.quotes.latest(assetId);
    if (quote === null) throw new ResourceNotFoundError('quote', assetId);
    return quote;
  }
}
