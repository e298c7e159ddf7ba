import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { type RunningApi, startApi } from '../support/api-app';
import { PHASE_HEADER, type Phase, longestQuietMs, phaseFigures, phaseRows, report, table } from './support/figures';
import { ensureClusterWhole, freezeNode, thawNode, waitUntilClientSeesAll } from './support/cluster-nodes';
import { ingestPath } from './support/ingest-module';
import { ReadLoad } from './support/read-load';

/**
 * Scenario a′ — a node that stalls instead of dying (SIGSTOP: sockets stay open, nothing
 * answers), the case speculative reads exist for. Two API instances on the same data read
 * side by side, one with speculative reads on (the default delay) and one with them off, so
 * the same stall shows what the setting buys. Neither may fail a request.
 */
const VICTIM = 2;
const STEADY_MS = 15_000;
const FROZEN_MS = 20_000;
const AFTER_MS = 10_000;
const ASSET = 'FROZEN';

const stallLine = (load: ReadLoad) =>
  `${load.stalls.reduce((sum, stall) => sum + stall.skipped, 0)} in ${load.stalls.length} stall(s)`;

const url = (api: RunningApi) => `http://127.0.0.1:${(api.app.getHttpServer().address() as AddressInfo).port}`;

describe('one node stalled (SIGSTOP) under read load', () => {
  let speculative: RunningApi;
  let plain: RunningApi;

  beforeAll(async () => {
    await ensureClusterWhole();
    const env = { AUTH_ENABLED: 'false', RATE_LIMIT_PER_MINUTE: '0' };
    speculative = await startApi('cl_frozen', env);
    plain = await startApi('cl_frozen', { ...env, CASSANDRA_SPECULATIVE_DELAY_MS: '0' }, speculative);
    const writer = await ingestPath(speculative.keyspace.config.keyspace);
    await writer.ingest.ingest(
      { kind: 'asset', seriesId: ASSET, provider: 'synthetic', symbol: ASSET, interval: '1m' },
      { from: new Date('2025-08-01T00:00:00Z'), to: new Date('2025-09-01T00:00:00Z') },
    );
    await writer.close();
  }, 300_000);

  afterAll(async () => {
    thawNode(VICTIM);
    await ensureClusterWhole();
    await waitUntilClientSeesAll(speculative.keyspace.admin);
    await plain.close();
    await speculative.close();
    // The drop is DDL too: the next suite starts from one schema version whatever it did.
    await ensureClusterWhole();
  }, 300_000);

  it('serves every read while a node stalls, speculative reads keeping the tail short', async () => {
    const paths = [
      `/api/v1/data/${ASSET}?from=2025-08-04&to=2025-08-08&limit=200`,
      `/api/v1/quotes/${ASSET}/latest`,
      `/api/v1/data/${ASSET}?from=2025-08-11T14:00:00Z&to=2025-08-29&limit=100&sort=desc`,
      `/api/v1/assets/${ASSET}`,
    ];
    const options = { ratePerSecond: 25, maxInFlight: 200, maxRequests: 25 * 120, clientTimeoutMs: 20_000 };
    const loads = {
      speculative: new ReadLoad(url(speculative), paths, options),
      plain: new ReadLoad(url(plain), paths, options),
    };
    const started = Date.now();
    loads.speculative.start();
    loads.plain.start();
    await sleep(STEADY_MS);
    const frozenAt = Date.now();
    freezeNode(VICTIM);
    try {
      await sleep(FROZEN_MS);
    } finally {
      thawNode(VICTIM);
    }
    const thawedAt = Date.now();
    await sleep(AFTER_MS);
    const stoppedAt = Date.now();
    const samples = { speculative: await loads.speculative.stop(), plain: await loads.plain.stop() };

    const phases: Phase[] = [
      { name: 'steady', from: started, to: frozenAt },
      { name: `node ${VICTIM} frozen`, from: frozenAt, to: thawedAt },
      { name: 'thawed', from: thawedAt, to: stoppedAt },
    ];
    const figures = {
      speculative: phaseFigures(samples.speculative, phases),
      plain: phaseFigures(samples.plain, phases),
    };
    const delay = speculative.keyspace.config.speculativeDelayMs;
    report(
      'a′: one node stalled (SIGSTOP) under read load',
      [
        `node ${VICTIM} frozen for ${((thawedAt - frozenAt) / 1000).toFixed(1)}s after ${((frozenAt - started) / 1000).toFixed(1)}s of steady load`,
        '',
        `API with speculative reads after ${delay} ms (the default), 25 req/s:`,
        table(PHASE_HEADER, phaseRows(figures.speculative)),
        '',
        'the same API with CASSANDRA_SPECULATIVE_DELAY_MS=0 (off), 25 req/s at the same time:',
        table(PHASE_HEADER, phaseRows(figures.plain)),
        '',
        `arrivals the test process skipped while its own event loop was starved: ${stallLine(loads.speculative)}; ${stallLine(loads.plain)}`,
      ].join('\n'),
      {
        victim: VICTIM,
        speculativeDelayMs: delay,
        speculative: figures.speculative,
        plain: figures.plain,
        clientStalls: { speculative: loads.speculative.stalls, plain: loads.plain.stalls },
      },
    );

    expect(samples.speculative.filter((sample) => !sample.ok).map((sample) => sample.outcome)).toEqual([]);
    expect(samples.plain.filter((sample) => !sample.ok).map((sample) => sample.outcome)).toEqual([]);
    // The load really ran through the stall: requests kept starting all the while. A count
    // alone (25 req/s x 20 s) is not reachable when this process itself is starved of CPU
    // on a loaded 2-core machine, and a burst of catch-up requests would prove nothing.
    for (const side of [samples.speculative, samples.plain]) {
      expect(longestQuietMs(side, frozenAt, thawedAt)).toBeLessThan(2500);
    }
    expect(figures.speculative[1]?.attempted).toBeGreaterThan((FROZEN_MS / 1000) * 25 * 0.25);
  });
});
