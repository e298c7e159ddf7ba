import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import {
  type PagePosition,
  type PageQuery,
  type PageQueryToCheck,
  decodePageToken,
  encodePageToken,
} from '@market/cassandra';
import { apiConfig } from '../config/api.config';

/** Issues and checks page tokens with the configured key and lifetime. */
@Injectable()
export class PageTokens {
  constructor(@Inject(apiConfig.KEY) private readonly config: ConfigType<typeof apiConfig>) {}

  issue(query: PageQuery, position: PagePosition): string {
    const expiresAt = Date.now() + this.config.pageTokens.ttlSeconds * 1000;
    return encodePageToken(query, position, { secret: this.config.pageTokens.secret, expiresAt });
  }

  /**
   * The position a token carries, and the end of the range it was issued for; throws
   * InvalidPageTokenError for any token that is not valid for `query`.
   */
  read(token: string, query: PageQueryToCheck): PagePosition & { readonly to: number; readonly asof?: number } {
    return decodePageToken(token, query, { secret: this.config.pageTokens.secret, now: Date.now() });
  }
}
