import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * Opaque, signed page tokens for range reads. A token carries where the previous page
 * stopped (bucket index, Cassandra's paging state, the last ts returned) and the query it
 * belongs to. It is signed because a paging state can be forged to skip rows or reach other
 * partitions, and bound to its query because a paging state is only valid for the
 * identical statement and values.
 */

/** The query a token belongs to; a token is accepted only for the same query. */
export interface PageQuery {
  readonly kind: string;
  readonly id: string;
  readonly from: number;
  readonly to: number;
  readonly sort: 'asc' | 'desc';
  /** Aggregated reads only: the timeframe and the IANA zone its bars align to (absent for raw bars). */
  readonly timeframe?: string;
  readonly tz?: string;
  /** Range reads with fill=previous (a filled page differs from an unfilled one). */
  readonly fill?: 'previous';
  /** Adjusted reads only: the adjustment and the as-of instant (epoch ms) of its actions (absent for raw). */
  readonly adjustment?: string;
  readonly asof?: number;
}

/**
 * The query a token is checked against. `to: null` is a range the client left open ("up to
 * now"): the token then supplies the end it was issued for, since "now" moves between pages.
 */
export type PageQueryToCheck = Omit<PageQuery, 'to' | 'asof'> & {
  readonly to: number | null;
  /** As `to`: null when the client left it to the token (an adjustment as of "now"). */
  readonly asof?: number | null;
};

/** Where the next page starts. */
export interface PagePosition {
  /** Index into the query's bucket slices, in walking order. */
  readonly bucketIndex: number;
  /** Cassandra's paging state inside that bucket, or null to start the bucket afresh. */
  readonly pageState: string | null;
  /** The ts (epoch ms) of the last row returned, for resuming if a paging state is refused. */
  readonly lastTs: number | null;
  /**
   * Aggregated reads only: the bar boundary the walk resumes at (asc: the new `from`, desc:
   * the new `to`); `bucketIndex`/`pageState` then index the range narrowed to it.
   */
  readonly barBoundary?: number;
}

export type InvalidPageTokenReason = 'malformed' | 'bad_signature' | 'unsupported_version' | 'expired' | 'other_query';

/** A token that was tampered with, truncated, expired or taken from another query. */
export class InvalidPageTokenError extends Error {
  override readonly name = 'InvalidPageTokenError';

  constructor(readonly reason: InvalidPageTokenReason) {
    super(
      {
        malformed: 'page_token is not a token this API issued',
        bad_signature: 'page_token has been altered or was signed with another key',
        unsupported_version: 'page_token was issued by an incompatible API version',
        expired: 'page_token has expired; start again without page_token',
        other_query:
          'page_token belongs to a different query (asset, from, to, sort, timeframe, tz, fill or adjustment changed)',
      }[reason],
    );
  }
}

const VERSION = 'v1';

const payloadSchema = z
  .object({
    q: z.object({
      kind: z.string(),
      id: z.string(),
      from: z.number().int(),
      to: z.number().int(),
      sort: z.enum(['asc', 'desc']),
      tf: z.string().optional(),
      tz: z.string().optional(),
      fi: z.literal('previous').optional(),
      adj: z.string().optional(),
      asof: z.number().int().optional(),
    }),
    b: z.number().int().min(0),
    p: z
      .string()
      .regex(/^[0-9a-f]*$/)
      .nullable(),
    l: z.number().int().nullable(),
    e: z.number().int(),
    c: z.number().int().optional(),
  })
  .strict();

function sign(secret: string, body: string): Buffer {
  return createHmac('sha256', secret).update(`${VERSION}.${body}`).digest();
}

/** Encodes and signs a page position for a query. */
export function encodePageToken(
  query: PageQuery,
  position: PagePosition,
  options: { secret: string; expiresAt: number },
): string {
  const payload = {
    q: {
      kind: query.kind,
      id: query.id,
      from: query.from,
      to: query.to,
      sort: query.sort,
      ...(query.timeframe === undefined ? {} : { tf: query.timeframe }),
      ...(query.tz === undefined ? {} : { tz: query.tz }),
      ...(query.fill === undefined ? {} : { fi: query.fill }),
      ...(query.adjustment === undefined ? {} : { adj: query.adjustment }),
      ...(query.asof === undefined ? {} : { asof: query.asof }),
    },
    b: position.bucketIndex,
    p: position.pageState,
    l: position.lastTs,
    e: options.expiresAt,
    ...(position.barBoundary === undefined ? {} : { c: position.barBoundary }),
  };
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${VERSION}.${body}.${sign(options.secret, body).toString('base64url')}`;
}

/**
 * Verifies a token and returns its position; throws InvalidPageTokenError when it was
 * altered, is malformed or expired, or belongs to another query.
 */
export function decodePageToken(
  token: string,
  query: PageQueryToCheck,
  options: { secret: string; now: number },
): PagePosition & { readonly to: number; readonly asof?: number } {
  const parts = token.split('.');
  if (parts.length !== 3) throw new InvalidPageTokenError('malformed');
  const [version, body, signature] = parts as [string, string, string];
  if (version !== VERSION) {
    throw new InvalidPageTokenError(/^v\d+$/.test(version) ? 'unsupported_version' : 'malformed');
  }
  const expected = sign(options.secret, body);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new InvalidPageTokenError('bad_signature');
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidPageTokenError('malformed');
  }
  const parsed = payloadSchema.safeParse(json);
  if (!parsed.success) throw new InvalidPageTokenError('malformed');
  const payload = parsed.data;
  if (payload.e <= options.now) throw new InvalidPageTokenError('expired');
  const bound = payload.q;
  if (
    bound.kind !== query.kind ||
    bound.id !== query.id ||
    bound.from !== query.from ||
    (query.to !== null && bound.to !== query.to) ||
    bound.sort !== query.sort ||
    bound.tf !== query.timeframe ||
    bound.tz !== query.tz ||
    bound.fi !== query.fill ||
    bound.adj !== query.adjustment ||
    (query.asof !== null && bound.asof !== query.asof)
  ) {
    throw new InvalidPageTokenError('other_query');
  }
  return {
    bucketIndex: payload.b,
    pageState: payload.p,
    lastTs: payload.l,
    ...(payload.c === undefined ? {} : { barBoundary: payload.c }),
    to: bound.to,
    ...(bound.asof === undefined ? {} : { asof: bound.asof }),
  };
}
