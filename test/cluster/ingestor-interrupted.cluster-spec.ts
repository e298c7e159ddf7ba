import { types } from 'cassandra-driver';
import { table, report } from './support/figures';
import { ensureClusterWhole } from './support/cluster-nodes';
import { IngestorWorker, jobsFile, waitFor } from './support/ingestor-process';
import { checkStoredSeries } from './support/stored-series';
import { migratedKeyspace } from '../support/test-keyspace';

/**
 * Scenario c — the ingestor process itself dies in the middle of a backfill on the cluster:
 * stopped politely (SIGTERM: the chunk in flight is written and checkpointed, the lease
 * released) or killed (SIGKILL: nothing runs; the lease expires by its TTL). A new process
 * must finish the job from the checkpoint: every bar present, no row that should not be
 * there, every value the source's.
 */
type Keyspace = Awaited<ReturnType<typeof migratedKeyspace>>;

const rows: (string | number)[][] = [];

describe('the ingestor interrupted mid-backfill on the cluster', () => {
  let keyspace: Keyspace;
  let worker: IngestorWorker | null = null;

  beforeAll(async () => {
    await ensureClusterWhole();
    keyspace = await migratedKeyspace('cl_ingest');
  }, 300_000);

  afterEach(async () => {
    if (worker?.running === true) await worker.stop('SIGKILL');
  });

  afterAll(async () => {
    report(
      'c: ingestor interrupted mid-backfill',
      table(
        [
          'signal',
          'checkpoint at signal',
          'exit',
          'exit ms',
          'lease left',
          'resumed from',
          'finished in s',
          'rows expected',
          'rows stored',
          'missing',
          'unexpected',
          'different',
        ],
        rows,
      ),
      { rows },
    );
    await keyspace.drop();
    // The drop is DDL too: the next suite starts from one schema version whatever it did.
    await ensureClusterWhole();
  }, 300_000);

  const checkpointOf = async (seriesId: string): Promise<Date | null> => {
    const row = (
      await keyspace.admin.execute(
        "SELECT last_ts FROM ingest_checkpoints WHERE source_id = 'synthetic' AND series_kind = 'asset' AND series_id = ?",
        [seriesId],
        { prepare: true, isIdempotent: true },
      )
    ).first();
    return (row?.get('last_ts') as Date | undefined) ?? null;
  };

  const leaseOwner = async (jobId: string): Promise<string | null> => {
    const row = (
      await keyspace.admin.execute('SELECT owner FROM job_leases WHERE job_id = ?', [jobId], {
        prepare: true,
        consistency: types.consistencies.localSerial,
      })
    ).first();
    return (row?.get('owner') as string | undefined) ?? null;
  };

  it.each([['SIGTERM' as const], ['SIGKILL' as const]])(
    'completes the backfill without gap or extra row after %s and a restart',
    async (signal) => {
      const job = { id: `cl-${signal.toLowerCase()}`, seriesId: signal, backfillFrom: '2025-01-01', everySeconds: 5 };
      const file = jobsFile(job);
      const env = { JOB_LEASE_SECONDS: '10' };
      worker = await IngestorWorker.start(keyspace.config.keyspace, file, env);
      // Let it write a few chunks (days) first, so the signal lands in the middle of the work.
      const atSignal = await waitFor(
        'a checkpoint a few days into the backfill',
        async () => {
          const last = await checkpointOf(job.seriesId);
          return last !== null && last.getTime() >= Date.parse(`${job.backfillFrom}T00:00:00Z`) + 5 * 86_400_000
            ? last
            : null;
        },
        120_000,
        100,
      );
      const exit = await worker.stop(signal);
      const checkpointAfterExit = await checkpointOf(job.seriesId);
      const leaseLeft = await leaseOwner(job.id);
      if (signal === 'SIGTERM') {
        // A clean stop: Nest's shutdown hooks ran, the chunk in flight was finished, the lease freed.
        expect(worker.messages(/stopped for shutdown/).length).toBe(1);
        expect(leaseLeft).toBeNull();
      } else {
        expect(exit.signal).toBe('SIGKILL');
      }
      expect(worker.messages(/job .*: \d+ rows written/)).toEqual([]); // it really stopped mid-backfill

      const restartedAt = Date.now();
      worker = await IngestorWorker.start(keyspace.config.keyspace, file, env);
      const finished = await waitFor(
        'the restarted ingestor to finish the job',
        () => Promise.resolve(worker?.messages(/job .*: \d+ rows written/)[0] ?? null),
        300_000,
        1000,
      );
      const resumeWaitSeconds = Math.round((Date.now() - restartedAt) / 100) / 10;
      await worker.stop('SIGTERM');
      const resumedFrom = /(\d{4}-\d\d-\d\dT[\d:.]+Z) →/.exec(finished)?.[1] ?? '';
      const final = await checkpointOf(job.seriesId);
      if (final === null || checkpointAfterExit === null) throw new Error('no checkpoint');
      const check = await checkStoredSeries(
        keyspace.admin,
        keyspace.config.keyspace,
        job.seriesId,
        new Date(`${job.backfillFrom}T00:00:00Z`),
        final,
      );
      rows.push([
        signal,
        atSignal.toISOString(),
        exit.code === null ? String(exit.signal) : `code ${exit.code}`,
        exit.ms,
        leaseLeft === null ? 'no' : 'yes',
        resumedFrom,
        resumeWaitSeconds,
        check.expected,
        check.stored,
        check.missing,
        check.unexpected,
        check.mismatched,
      ]);

      // The new process started from the checkpoint the old one left, not from the beginning.
      expect(resumedFrom).toBe(checkpointAfterExit.toISOString());
      expect({ missing: check.missing, unexpected: check.unexpected, mismatched: check.mismatched }).toEqual({
        missing: 0,
        unexpected: 0,
        mismatched: 0,
      });
      expect(check.stored).toBe(check.expected);
    },
  );
});
