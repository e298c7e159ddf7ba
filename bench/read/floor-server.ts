/**
 * bench:read's (d): the floor. A framework-free node:http server that answers the bench's
 * page requests with the least work any server of this API must do, and with the most
 * favourable timing:
 *   - the same prepared SELECT through the library's TimeSeriesRepository (decimals as bytes,
 *     the driver's paging), the same page-token codec (HMAC-signed), the same JSON for a
 *     page (byte for byte: test/e2e/bench-floor-server.e2e-spec.ts), from code of its own
 *     (it uses what the libraries export, never the API's internals);
 *   - each next page read and rendered to JSON ahead, while the client handles this one,
 *     for a client that is paging as the API decides it (a token, or a bulk first page of
 *     1,000 rows or more); a small first page (a dashboard's 100 rows: bench:read's (c′))
 *     is read and answered alone, as the API answers it.
 * It has no routing beyond one path, no validation, logging, metrics, security headers,
 * rate limiting or error shape, and reads one month bucket only: it is a measuring stick,
 * not an API. (d)/(a) is the lowest (b)/(a) this machine gives for the bench's drain.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import {
  CassandraSession,
  type PageQuery,
  type PricePoint,
  TimeSeriesRepository,
  bucketSlices,
  cassandraConfigFromEnv,
  cassandraEnvSchema,
  decodePageToken,
  encodePageToken,
} from '@market/cassandra';
import { parseEnv } from '@market/config';

export interface FloorServerOptions {
  readonly session: CassandraSession;
  readonly pageTokenSecret: string;
  /** The SHA-256 (hex) of the one API key it accepts, as the API's key file holds it. */
  readonly apiKeySha256: string;
}

interface RenderedPage {
  readonly json: string;
  readonly nextPageToken: string | null;
}

const TOKEN_TTL_MS = 3_600_000;
const DAY_MS = 86_400_000;
const PATH = /^\/api\/v1\/data\/([^/?]+)$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
/** The API's threshold (time-series.service.ts): first pages this large are read ahead. */
const BULK_FIRST_PAGE_ROWS = 1000;

/**
 * A bound as the bench sends it, read as the API reads it: a date alone is the start of
 * that UTC day for `from` and its last millisecond for `to`; anything else is an ISO-8601
 * date-time. No validation beyond that: the floor answers only the bench.
 */
function bound(text: string, which: 'from' | 'to'): number {
  if (!DATE_ONLY.test(text)) return Date.parse(text);
  const start = Date.parse(`${text}T00:00:00.000Z`);
  return which === 'from' ? start : start + DAY_MS - 1;
}

/** A bar in the API's JSON form: ts as ISO-8601 UTC with milliseconds, decimals as exact strings. */
function pointJson(point: PricePoint) {
  return {
    ts: point.ts.toISOString(),
    price: point.price,
    open: point.open,
    high: point.high,
    low: point.low,
    volume: point.volume,
    source_id: point.sourceId,
  };
}

export function createFloorServer({ session, pageTokenSecret, apiKeySha256 }: FloorServerOptions): http.Server {
  const timeSeries = new TimeSeriesRepository(session);
  // Taken once each; the bench drains every chain to its end, so nothing is left behind.
  const readAhead = new Map<string, Promise<RenderedPage>>();

  async function renderPage(query: PageQuery, pageToken: string | null, limit: number): Promise<RenderedPage> {
    const from = new Date(query.from);
    const to = new Date(query.to);
    const slices = bucketSlices(from, to);
    const [slice] = slices;
    if (slices.length !== 1 || slice === undefined) throw new RangeError('the floor server reads one month bucket');
    const position =
      pageToken === null ? null : decodePageToken(pageToken, query, { secret: pageTokenSecret, now: Date.now() });
    const page = await timeSeries.readSlice('asset', query.id, slice, {
      fetchSize: limit,
      pageState: position?.pageState ?? null,
    });
    const nextPageToken =
      page.pageState === null
        ? null
        : encodePageToken(
            query,
            { bucketIndex: 0, pageState: page.pageState, lastTs: page.points.at(-1)?.ts.getTime() ?? null },
            { secret: pageTokenSecret, expiresAt: Date.now() + TOKEN_TTL_MS },
          );
    const json = JSON.stringify({
      id: query.id,
      from: from.toISOString(),
      to: to.toISOString(),
      sort: query.sort,
      items: page.points.map(pointJson),
      next_page_token: nextPageToken,
    });
    return { json, nextPageToken };
  }

  async function answer(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://floor');
    const id = PATH.exec(url.pathname)?.[1];
    const key = request.headers['x-api-key'];
    if (id === undefined || typeof key !== 'string') throw new RangeError('not a page request');
    if (createHash('sha256').update(key, 'utf8').digest('hex') !== apiKeySha256) throw new RangeError('unknown key');
    const from = bound(url.searchParams.get('from') ?? '', 'from');
    const to = bound(url.searchParams.get('to') ?? '', 'to');
    if (Number.isNaN(from) || Number.isNaN(to)) throw new RangeError('from and to must be ISO-8601');
    const query: PageQuery = { kind: 'asset', id, from, to, sort: 'asc' };
    const limit = Number(url.searchParams.get('limit'));
    const pageToken = url.searchParams.get('page_token');
    const ahead = pageToken === null ? undefined : readAhead.get(pageToken);
    if (pageToken !== null) readAhead.delete(pageToken);
    const page = await (ahead ?? renderPage(query, pageToken, limit));
    const { nextPageToken } = page;
    if (nextPageToken !== null && (pageToken !== null || limit >= BULK_FIRST_PAGE_ROWS)) {
      const next = renderPage(query, nextPageToken, limit);
      next.catch(() => undefined); // its request reads again
      readAhead.set(nextPageToken, next);
    }
    response.setHeader('Content-Type', 'application/json; charset=utf-8');
    response.end(page.json);
  }

  return http.createServer((request, response) => {
    if (request.url === '/ready') {
      response.end();
      return;
    }
    answer(request, response).catch((error: unknown) => {
      response.statusCode = 400;
      response.end(error instanceof Error ? error.message : 'bad request');
    });
  });
}

/** Run by bench:read as a process of its own, as the API is: FLOOR_* and CASSANDRA_* from the environment. */
async function main(): Promise<void> {
  const session = new CassandraSession(cassandraConfigFromEnv(parseEnv(cassandraEnvSchema, process.env)));
  await session.onModuleInit();
  const server = createFloorServer({
    session,
    pageTokenSecret: process.env.FLOOR_PAGE_TOKEN_SECRET ?? '',
    apiKeySha256: process.env.FLOOR_API_KEY_SHA256 ?? '',
  });
  server.listen(Number(process.env.FLOOR_PORT), '127.0.0.1');
  process.once('SIGTERM', () => {
    server.close();
    void session.onApplicationShutdown();
  });
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
