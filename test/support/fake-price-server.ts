import { readFileSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/**
 * Test support for the provider specs (never imported by production code): a local HTTP
 * server on 127.0.0.1 that replays queued responses, usually fixtures recorded in the
 * provider's real format, and records what it was asked.
 */

export interface FakeResponse {
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Answer only after this long (to trip a client timeout). */
  readonly delayMs?: number;
  /** Drop the connection without answering (a network error). */
  readonly hangUp?: boolean;
}

export type FakeRoute = (url: URL) => FakeResponse;

const FIXTURES = join(__dirname, '..', 'fixtures');

/** A fixture file's text: `test/fixtures/<provider>/<name>`. */
export function fixture(provider: string, name: string): string {
  return readFileSync(join(FIXTURES, provider, name), 'utf8');
}

/** A JSON response from a fixture file. */
export function jsonFixture(provider: string, name: string, status = 200): FakeResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: fixture(provider, name) };
}

/** A CSV response from a fixture file. */
export function csvFixture(provider: string, name: string, status = 200): FakeResponse {
  return { status, headers: { 'content-type': 'text/csv' }, body: fixture(provider, name) };
}

/** Retry options for providers under test: backoff and rate-limit waits take no time. */
export const instantRetries = { sleep: (): Promise<void> => Promise.resolve() };

export class FakePriceServer {
  /** Every request's URL, in arrival order. */
  readonly requests: URL[] = [];
  /** Every request's headers, in the same order. */
  readonly requestHeaders: IncomingMessage['headers'][] = [];
  private readonly queue: FakeResponse[] = [];
  private route: FakeRoute | null = null;
  private readonly timers = new Set<NodeJS.Timeout>();

  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
  ) {}

  static async start(): Promise<FakePriceServer> {
    let fake: FakePriceServer | null = null;
    const server = createServer((request, response) => fake?.handle(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    fake = new FakePriceServer(server, `http://127.0.0.1:${port}`);
    return fake;
  }

  /** Queues responses, served one per request in order. */
  reply(...responses: FakeResponse[]): this {
    this.queue.push(...responses);
    return this;
  }

  /** Answers every request not served from the queue. */
  answer(route: FakeRoute): this {
    this.route = route;
    return this;
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', this.baseUrl);
    this.requests.push(url);
    this.requestHeaders.push(request.headers);
    const planned = this.queue.shift() ?? this.route?.(url);
    // An unplanned request fails loudly rather than hanging the test.
    const reply = planned ?? { status: 599, body: `fake server: no response queued for ${url.pathname}` };
    if (reply.hangUp === true) {
      request.socket.destroy();
      return;
    }
    const send = (): void => {
      response.writeHead(reply.status ?? 200, { 'content-type': 'text/plain', ...reply.headers });
      response.end(reply.body ?? '');
    };
    if (reply.delayMs === undefined) {
      send();
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!response.destroyed) send();
    }, reply.delayMs);
    this.timers.add(timer);
  }
}
