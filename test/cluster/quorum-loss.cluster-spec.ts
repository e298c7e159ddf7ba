import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { types } from 'cassandra-driver';
import { type RunningApi, startApi } from '../support/api-app';
import { PHASE_HEADER, type Sample, percentile, phaseFigures, phaseRows, report, table } from './support/figures';
import {
  ensureClusterWhole,
  killNode,
  restartNode,
  waitUntilAllUp,
  waitUntilClientSeesAll,
} from './support/cluster-nodes';
import { ingestPath } from './support/ingest-module';
import { IngestorWorker, jobsFile, waitFor } from './support/ingestor-process';
import { checkStoredSeries } from './support/stored-series';

/**
 * Scenario b — two of three nodes down: LOCAL_QUORUM cannot be met. Reads and writes must
 * fail fast (the API answers 503 with Retry-After within its REQUEST_TIMEOUT_MS, never a
 * hang), and the ingestor, killed nowhere, must resume from its durable checkpoint once
 * the nodes return, leaving no gap.
 */
const REQUEST_TIMEOUT_MS = 3000;
/** Scheduling slack on a busy 2-core machine: a correctness bound, not a speed target. */
const MARGIN_MS = 2000;
const DOWN_MS = 25_000;
const JOB = { id: 'cl-quorum', seriesId: 'QUORUM', backfillFrom: '2025-01-01', everySeconds: 5 };

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value?: T; error?: Error }> {
  const began = performance.now();
  try {
    const value = await run();
    return { ms: performance.now() - began, value };
  } catch (error) {
    return { ms: performance.now() - began, error: error instanceof Error ? error : new Error(String(error)) };
  }
}

describe('two of three nodes down', () => {
  let api: RunningApi;
  let baseUrl: string;
  let worker: IngestorWorker | null = null;

  beforeAll(async () => {
    await ensureClusterWhole();
    api = await startApi('cl_quorum', {
      AUTH_ENABLED: 'false',
      RATE_LIMIT_PER_MINUTE: '0',
      REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      HEALTH_CHECK_TIMEOUT_MS: '1000',
    });
    baseUrl = `http://127.0.0.1:${(api.app.getHttpServer().address() as AddressInfo).port}`;
    const seeder = await ingestPath(api.keyspace.config.keyspace);
    await seeder.ingest.ingest(
      { kind: 'asset', seriesId: 'READA', provider: 'synthetic', symbol: 'READA', interval: '1m' },
      { from: new Date('2025-08-01T00:00:00Z'), to: new Date('2025-09-01T00:00:00Z') },
    );
    await seeder.close();
  }, 300_000);

  afterAll(async () => {
    if (worker?.running === true) await worker.stop('SIGKILL');
    await ensureClusterWhole();
    // DDL is prepared on the first host of the plan, which must have its connections back.
    await waitUntilClientSeesAll(api.keyspace.admin);
    await api.close();
    // The drop is DDL too: the next suite starts from one schema version whatever it did.
    await ensureClusterWhole();
  }, 300_000);

  const checkpoint = async (consistency = types.consistencies.localQuorum): Promise<Date | null> => {
    const row = (
      await api.keyspace.admin.execute(
        "SELECT last_ts FROM ingest_checkpoints WHERE source_id = 'synthetic' AND series_kind = 'asset' AND series_id = ?",
        [JOB.seriesId],
        { prepare: true, consistency, isIdempotent: true },
      )
    ).first();
    return (row?.get('last_ts') as Date | undefined) ?? null;
  };

  it('fails reads and writes fast with 503, then the ingestor resumes from its checkpoint with no gap', async () => {
    worker = await IngestorWorker.start(api.keyspace.config.keyspace, jobsFile(JOB), { JOB_LEASE_SECONDS: '10' });
    const before = await waitFor('a first checkpoint of the job', () => checkpoint(), 120_000);
    await api.keyspace.admin.execute('SELECT now() FROM system.local'); // the admin client is warm

    const killedAt = Date.now();
    await killNode(2);
    await killNode(3);

    // Bounded probes while quorum is lost: API reads one after another, plus direct driver calls.
    const apiSamples: Sample[] = [];
    const retryAfter = new Set<string>();
    const readySamples: Sample[] = [];
    const driverReads: { ms: number; error: string }[] = [];
    const driverWrites: { ms: number; error: string }[] = [];
    const paths = ['/api/v1/data/READA?from=2025-08-04&to=2025-08-08&limit=200', '/api/v1/quotes/READA/latest'];
    for (let index = 0; Date.now() - killedAt < DOWN_MS && index < 200; index += 1) {
      const startedAt = Date.now();
      const response = await timed(() =>
        fetch(`${baseUrl}${paths[index % paths.length] ?? '/'}`, { signal: AbortSignal.timeout(20_000) }),
      );
      const status = response.value?.status;
      if (response.value !== undefined) {
        await response.value.arrayBuffer();
        retryAfter.add(response.value.headers.get('retry-after') ?? '(none)');
      }
      apiSamples.push({
        startedAt,
        ms: response.ms,
        ok: status === 503,
        outcome: status === undefined ? (response.error?.name ?? 'error') : String(status),
      });
      if (index % 5 === 0) {
        const ready = await timed(() => fetch(`${baseUrl}/health/ready`, { signal: AbortSignal.timeout(20_000) }));
        readySamples.push({
          startedAt: Date.now(),
          ms: ready.ms,
          ok: ready.value?.status === 503,
          outcome: String(ready.value?.status ?? ready.error?.name),
        });
        const read = await timed(() =>
          api.keyspace.admin.execute(
            'SELECT ts FROM asset_timeseries WHERE asset_id = ? AND bucket = ? LIMIT 1',
            ['READA', '2025-08'],
            {
              prepare: true,
              consistency: types.consistencies.localQuorum,
              isIdempotent: true,
            },
          ),
        );
        driverReads.push({ ms: read.ms, error: read.error?.name ?? 'none' });
        const write = await timed(() =>
          api.keyspace.admin.execute(
            'INSERT INTO asset_timeseries (asset_id, bucket, ts, price, source_id) VALUES (?, ?, ?, ?, ?)',
            ['PROBE', '2025-08', new Date('2025-08-04T13:30:00Z'), types.BigDecimal.fromString('1.00'), 'probe'],
            { prepare: true, consistency: types.consistencies.localQuorum, isIdempotent: true },
          ),
        );
        driverWrites.push({ ms: write.ms, error: write.error?.name ?? 'none' });
      }
      await sleep(200);
    }
    const duringOutage = await checkpoint(types.consistencies.one);
    const failedRunsDuringOutage = worker.messages(/job cl-quorum(:? failed|: cannot take its lease)/).length;

    // One node back restores LOCAL_QUORUM (two of three replicas): the API must answer again then.
    const restartedAt = Date.now();
    const restartSeconds = [await restartNode(2)];
    const quorumBackAt = Date.now();
    const apiBackMs = await waitFor(
      'the API answering 200 again',
      async () => ((await fetch(`${baseUrl}${paths[0] ?? '/'}`)).status === 200 ? Date.now() - quorumBackAt : null),
      120_000,
      500,
    );
    restartSeconds.push(await restartNode(3));
    await waitUntilAllUp();

    // The job's next run (every 5 s, once its lease has expired) resumes from the checkpoint.
    const resumed = await waitFor(
      'the job to run to the end after the outage',
      () => Promise.resolve(worker?.messages(/job cl-quorum: \d+ rows written/)[0] ?? null),
      300_000,
      1000,
    );
    const stop = await worker.stop('SIGTERM');
    const final = await checkpoint();
    if (final === null) throw new Error('no checkpoint after the run');
    const check = await checkStoredSeries(
      api.keyspace.admin,
      api.keyspace.config.keyspace,
      JOB.seriesId,
      new Date(`${JOB.backfillFrom}T00:00:00Z`),
      final,
    );
    const resumedFrom = /(\d{4}-\d\d-\d\dT[\d:.]+Z) →/.exec(resumed)?.[1] ?? '';

    const apiFigures = phaseFigures(apiSamples, [{ name: 'API reads', from: killedAt, to: restartedAt }]).slice(0, 1);
    const readyFigures = phaseFigures(readySamples, [{ name: '/health/ready', from: killedAt, to: restartedAt }]).slice(
      0,
      1,
    );
    const driverRow = (name: string, samples: { ms: number; error: string }[]) => [
      name,
      samples.length,
      [...new Set(samples.map((sample) => sample.error))].join(' '),
      percentile(
        samples.map((sample) => Math.round(sample.ms)),
        50,
      ),
      Math.round(Math.max(...samples.map((sample) => sample.ms))),
    ];
    report(
      'b: two of three nodes down',
      [
        `nodes 2 and 3 killed with SIGKILL, down ${((restartedAt - killedAt) / 1000).toFixed(1)}s; restarts answered CQL in ` +
          `${restartSeconds.map((s) => s.toFixed(1)).join('s and ')}s; API answered 200 again ${(apiBackMs / 1000).toFixed(1)}s after node 2 answered CQL (quorum back)`,
        '',
        `while quorum was lost (REQUEST_TIMEOUT_MS=${REQUEST_TIMEOUT_MS}; a success here is a 503):`,
        table(
          PHASE_HEADER.map((name) => (name === 'failed' ? 'not 503' : name)),
          [...phaseRows(apiFigures), ...phaseRows(readyFigures)],
        ),
        `statuses: ${JSON.stringify(apiFigures[0]?.outcomes)}, Retry-After: ${[...retryAfter].join(', ')}`,
        '',
        'the driver directly, LOCAL_QUORUM:',
        table(
          ['statement', 'tried', 'errors', 'p50 ms', 'max ms'],
          [driverRow('read', driverReads), driverRow('write', driverWrites)],
        ),
        '',
        `ingestor: checkpoint ${before.toISOString()} just before the kill, ${duringOutage?.toISOString() ?? 'unreadable'} at the end of the outage (read at ONE) ` +
          `(${failedRunsDuringOutage} failed runs logged); resumed from ${resumedFrom}; final checkpoint ${final.toISOString()}; stopped by SIGTERM in ${stop.ms} ms`,
        `read back at QUORUM ${JOB.backfillFrom} → checkpoint: ${check.stored}/${check.expected} rows, missing ${check.missing}, ` +
          `unexpected ${check.unexpected}, different ${check.mismatched}`,
      ].join('\n'),
      {
        downMs: restartedAt - killedAt,
        restartSeconds,
        apiBackMs,
        api: apiFigures[0],
        ready: readyFigures[0],
        retryAfter: [...retryAfter],
        driverReads,
        driverWrites,
        checkpointBefore: before,
        checkpointDuringOutage: duringOutage,
        failedRunsDuringOutage,
        resumedFrom,
        checkpointFinal: final,
        check,
      },
    );

    expect(apiSamples.length).toBeGreaterThan(5);
    for (const sample of [...apiSamples, ...readySamples]) {
      expect({ outcome: sample.outcome, withinTimeout: sample.ms < REQUEST_TIMEOUT_MS + MARGIN_MS }).toEqual({
        outcome: '503',
        withinTimeout: true,
      });
    }
    expect(retryAfter.has('(none)')).toBe(false);
    // Both fail, and within the driver's own bound: one try and one retry of CASSANDRA_REQUEST_TIMEOUT_MS.
    for (const sample of [...driverReads, ...driverWrites]) {
      expect(sample.error).not.toBe('none');
      expect(sample.ms).toBeLessThan(2 * 6000 + MARGIN_MS);
    }
    // Resumed where the durable checkpoint was, not from the start of the backfill; nothing skipped.
    expect(new Date(resumedFrom).getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect(final.getTime()).toBeGreaterThan(before.getTime());
    expect({ missing: check.missing, unexpected: check.unexpected, mismatched: check.mismatched }).toEqual({
      missing: 0,
      unexpected: 0,
      mismatched: 0,
    });
    expect(check.stored).toBe(check.expected);
  });
});
