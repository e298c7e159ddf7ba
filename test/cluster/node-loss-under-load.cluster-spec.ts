import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { CassandraSession } from '@market/cassandra';
import { type RunningApi, startApi } from '../support/api-app';
import {
  PHASE_HEADER,
  type Phase,
  WRITE_PHASE_HEADER,
  longestQuietMs,
  phaseFigures,
  phaseRows,
  report,
  table,
} from './support/figures';
import {
  ensureClusterWhole,
  killNode,
  restartNode,
  waitUntilAllUp,
  waitUntilClientSeesAll,
} from './support/cluster-nodes';
import { FaultTimeline } from './support/fault-timeline';
import { ingestPath } from './support/ingest-module';
import { ReadLoad } from './support/read-load';
import { checkStoredSeries } from './support/stored-series';
import { WriteLoad } from './support/write-load';

/**
 * Scenario a — the seed's promise: "if one node fails, the others serve data". API reads
 * and ingest writes run at a steady pace; node 1 (the seed, the first contact point and
 * the driver's likely control connection) is killed with SIGKILL; the load goes on 30 s,
 * the node is restarted and the load goes on until the ring is whole again and a little
 * after. No API request may fail, and every row written must be read back at QUORUM.
 */
const VICTIM = 1;
const STEADY_MS = 20_000;
const FAULT_MS = 30_000;
const AFTER_MS = 15_000;
const READ_ASSETS = ['READA', 'READB'];
const WRITE_ASSETS = ['WRITEA', 'WRITEB', 'WRITEC'];

describe('one node killed under read and write load', () => {
  let api: RunningApi;
  let writer: Awaited<ReturnType<typeof ingestPath>>;
  let baseUrl: string;

  beforeAll(async () => {
    await ensureClusterWhole();
    api = await startApi('cl_load', { AUTH_ENABLED: 'false', RATE_LIMIT_PER_MINUTE: '0' });
    baseUrl = `http://127.0.0.1:${(api.app.getHttpServer().address() as AddressInfo).port}`;
    writer = await ingestPath(api.keyspace.config.keyspace);
    for (const asset of READ_ASSETS) {
      await writer.ingest.ingest(
        { kind: 'asset', seriesId: asset, provider: 'synthetic', symbol: asset, interval: '1m' },
        { from: new Date('2025-08-01T00:00:00Z'), to: new Date('2025-09-01T00:00:00Z') },
      );
    }
  }, 300_000);

  afterAll(async () => {
    await ensureClusterWhole();
    // DDL is prepared on the first host of the plan, which must have its connections back.
    await waitUntilClientSeesAll(api.keyspace.admin);
    await writer.close();
    await api.close();
    // The drop is DDL too: the next suite starts from one schema version whatever it did.
    await ensureClusterWhole();
  }, 300_000);

  it('serves every API request and loses no write while a node is killed and restarted', async () => {
    const paths = READ_ASSETS.flatMap((asset) => [
      `/api/v1/data/${asset}?from=2025-08-04&to=2025-08-08&limit=200`,
      `/api/v1/data/${asset}?from=2025-08-11T14:00:00Z&to=2025-08-29&limit=100&sort=desc`,
      `/api/v1/quotes/${asset}/latest`,
      `/api/v1/assets/${asset}`,
    ]);
    const reads = new ReadLoad(baseUrl, paths, {
      ratePerSecond: 40,
      maxInFlight: 64,
      maxRequests: 40 * 300,
      clientTimeoutMs: 20_000,
    });
    const writes = new WriteLoad(writer.ingest, {
      assets: WRITE_ASSETS,
      firstDay: new Date('2024-01-01T00:00:00Z'),
      periodMs: 250,
      maxChunks: 4 * 300,
    });

    // Every failed read is explained afterwards: the API's log line (driver error class, code,
    // coordinator) and what the driver saw of the nodes, placed against the fault's steps.
    const timeline = new FaultTimeline();
    timeline.captureAppLog();
    timeline.watchDriver(api.app.get(CassandraSession).client);
    timeline.watchEventLoop();

    const started = Date.now();
    reads.start();
    writes.start();
    await sleep(STEADY_MS);
    const killedAt = Date.now();
    await killNode(VICTIM);
    await sleep(FAULT_MS);
    const restartedAt = Date.now();
    const restartSeconds = await restartNode(VICTIM);
    const cqlAt = Date.now();
    const ringWaitMs = await waitUntilAllUp();
    const wholeAt = Date.now();
    await sleep(AFTER_MS);
    const stoppedAt = Date.now();
    const readSamples = await reads.stop();
    const writeSamples = await writes.stop();
    timeline.stop();

    const phases: Phase[] = [
      { name: 'steady', from: started, to: killedAt },
      { name: `node ${VICTIM} down`, from: killedAt, to: restartedAt },
      { name: 'restarting', from: restartedAt, to: wholeAt },
      { name: 'whole again', from: wholeAt, to: stoppedAt },
    ];
    const readFigures = phaseFigures(readSamples, phases);
    const writeFigures = phaseFigures(writeSamples, phases);

    const checks = [];
    for (const asset of WRITE_ASSETS) {
      const range = writes.writtenRange(asset);
      if (range === null) throw new Error(`nothing was written for ${asset}`);
      checks.push({
        asset,
        ...(await checkStoredSeries(api.keyspace.admin, api.keyspace.config.keyspace, asset, range.from, range.to)),
      });
    }
    const marks = { kill: killedAt, restart: restartedAt, cql: cqlAt, UN: wholeAt };
    const failedReads = readSamples.filter((sample) => !sample.ok).map((sample) => timeline.explain(sample, marks));
    const rowsAcknowledged = writeSamples.filter((sample) => sample.ok).reduce((sum, s) => sum + (s.rows ?? 0), 0);
    const lost = checks.reduce((sum, check) => sum + check.missing + check.mismatched, 0);

    report(
      'a: one node SIGKILLed under load',
      [
        `node ${VICTIM} killed after ${((killedAt - started) / 1000).toFixed(1)}s of steady load, down ${((restartedAt - killedAt) / 1000).toFixed(1)}s; ` +
          `restart answered CQL in ${restartSeconds.toFixed(1)}s, ring all UN ${(ringWaitMs / 1000).toFixed(1)}s later`,
        '',
        'API reads (40 req/s, open loop):',
        table(PHASE_HEADER, phaseRows(readFigures)),
        '',
        'ingest writes (one trading day of one asset per chunk, every 250 ms):',
        table(WRITE_PHASE_HEADER, phaseRows(writeFigures, true)),
        '',
        `read back at QUORUM: ${checks.map((c) => `${c.asset} ${c.stored}/${c.expected} rows`).join(', ')}; ` +
          `rows acknowledged ${rowsAcknowledged}, lost or different ${lost}`,
        '',
        `arrivals the test process skipped while its own event loop was starved: ${reads.stalls.reduce((sum, stall) => sum + stall.skipped, 0)} in ${reads.stalls.length} stall(s)`,
        '',
        `failed reads (${failedReads.length}):`,
        ...failedReads,
        '',
        'driver events (times against kill, restart, node answering CQL, ring all UN):',
        ...timeline.driverTimeline(marks),
      ].join('\n'),
      {
        victim: VICTIM,
        restartSeconds,
        ringWaitMs,
        reads: readFigures,
        writes: writeFigures,
        rowsAcknowledged,
        lost,
        checks,
        failedReads,
        clientStalls: reads.stalls,
      },
    );

    expect(failedReads).toEqual([]);
    expect(writeSamples.filter((sample) => !sample.ok).map((sample) => timeline.explain(sample, marks))).toEqual([]);
    // Loads really ran through the fault, not just around it.
    expect(readFigures[1]?.attempted).toBeGreaterThan(500);
    expect(longestQuietMs(readSamples, killedAt, restartedAt)).toBeLessThan(2500);
    expect(writeFigures[1]?.rows).toBeGreaterThan(10_000);
    for (const check of checks) {
      expect({
        asset: check.asset,
        missing: check.missing,
        unexpected: check.unexpected,
        mismatched: check.mismatched,
      }).toEqual({
        asset: check.asset,
        missing: 0,
        unexpected: 0,
        mismatched: 0,
      });
    }
    expect(checks.reduce((sum, check) => sum + check.stored, 0)).toBe(rowsAcknowledged);
  });
});
