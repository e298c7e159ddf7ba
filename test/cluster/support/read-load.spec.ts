import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { longestQuietMs } from './figures';
import { ReadLoad } from './read-load';

/** Holds this process's event loop, as a CPU-starved test process is held. */
function blockEventLoop(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until);
}

describe('ReadLoad when its own process stalls', () => {
  let server: Server;
  let baseUrl: string;

  beforeAll(async () => {
    server = createServer((_request, response) => response.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('skips the arrivals it missed instead of firing them at once as a burst', async () => {
    // 100 req/s with room for 8 in flight: replaying a 1.5 s stall would start ~150 at once.
    const load = new ReadLoad(baseUrl, ['/'], {
      ratePerSecond: 100,
      maxInFlight: 8,
      maxRequests: 1000,
      clientTimeoutMs: 5000,
    });
    load.start();
    await sleep(300);
    blockEventLoop(1500);
    await sleep(300);
    const samples = await load.stop();

    expect(samples.filter((sample) => sample.outcome === 'saturated')).toEqual([]);
    expect(load.stalls).toHaveLength(1);
    expect(load.stalls[0]?.skipped).toBeGreaterThanOrEqual(100);
    // Every arrival is either a request or counted as skipped: none vanishes.
    expect(samples.length + (load.stalls[0]?.skipped ?? 0)).toBeGreaterThanOrEqual(180);
    expect(samples.every((sample) => sample.ok)).toBe(true);
  });
});

describe('longestQuietMs', () => {
  const at = (startedAt: number) => ({ startedAt, ms: 1, ok: true, outcome: '200' });

  it('measures the longest stretch without a start, the window edges included', () => {
    expect(longestQuietMs([at(1100), at(1200), at(2500), at(2600)], 1000, 3000)).toBe(1300);
    expect(longestQuietMs([at(1100), at(2900)], 1000, 3000)).toBe(1800);
    expect(longestQuietMs([at(500), at(3500)], 1000, 3000)).toBe(2000);
    expect(longestQuietMs([], 1000, 3000)).toBe(2000);
  });
});
