import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { generateSyntheticBars } from '../../apps/ingestor/src/providers/synthetic/synthetic.provider';
import { migratedKeyspace } from '../support/test-keyspace';
import { freePort } from '../support/free-port';

/**
 * The ingestor as users run it: the built entry point, as a separate process, killed and
 * restarted for real.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const ENTRY = path.join(ROOT, 'dist', 'apps', 'ingestor', 'main.js');

type Keyspace = Awaited<ReturnType<typeof migratedKeyspace>>;

const syntheticCount = (symbol: string, from: string, to: string) =>
  [
    ...generateSyntheticBars(
      { seed: 'market-warehouse', symbol },
      { from: new Date(from), to: new Date(to), interval: '1m' },
    ),
  ].length;

describe('the ingestor process', () => {
  let keyspace: Keyspace;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    const build = spawnSync('npx', ['nest', 'build', 'ingestor'], { cwd: ROOT, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`build failed: ${build.stdout}${build.stderr}`);
    keyspace = await migratedKeyspace('e2e_ingestor');
    env = { ...process.env, CASSANDRA_KEYSPACE: keyspace.config.keyspace, INGESTOR_HOST: '127.0.0.1' };
  }, 120_000);

  afterAll(async () => {
    await keyspace.drop();
  });

  const run = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) =>
    spawnSync(process.execPath, [ENTRY, ...args], {
      cwd: ROOT,
      env: { ...env, ...extraEnv },
      encoding: 'utf8',
      timeout: 120_000,
    });

  async function rowCount(id: string, buckets: string[]): Promise<number> {
    let total = 0;
    for (const bucket of buckets) {
      const result = await keyspace.admin.execute(
        'SELECT COUNT(*) AS n FROM asset_timeseries WHERE asset_id = ? AND bucket = ?',
        [id, bucket],
        {
          prepare: true,
        },
      );
      total += Number(result.first().get('n'));
    }
    return total;
  }

  it('backfills a month, prints a summary, and changes nothing when run again', async () => {
    const first = run([
      'backfill',
      '--asset',
      'CLI',
      '--from',
      '2025-08-01',
      '--to',
      '2025-08-31',
      '--source',
      'synthetic',
    ]);
    expect(first.status).toBe(0);
    const expected = syntheticCount('CLI', '2025-08-01T00:00:00Z', '2025-09-01T00:00:00Z');
    expect(first.stdout).toContain(`rows written: ${expected}`);
    expect(first.stdout).toMatch(/rows rejected: 0\nduration: [\d.]+ s \(\d+ rows\/s\)/);
    expect(await rowCount('CLI', ['2025-08'])).toBe(expected);
    expect(first.stdout).not.toContain('resuming');
    // Run again, it finds its own checkpoint at the end: nothing fetched, nothing written.
    const again = run(['backfill', '--asset', 'CLI', '--from', '2025-08-01', '--to', '2025-08-31']);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('resuming from 2025-09-01T00:00:00.000Z: an earlier run completed this backfill');
    expect(again.stdout).toContain('rows written: 0\n');
    expect(await rowCount('CLI', ['2025-08'])).toBe(expected);
    // --restart runs it all again, and changes no data.
    const restarted = run(['backfill', '--asset', 'CLI', '--from', '2025-08-01', '--to', '2025-08-31', '--restart']);
    expect(restarted.status).toBe(0);
    expect(restarted.stdout).not.toContain('resuming');
    expect(restarted.stdout).toContain(`rows written: ${expected}\n`);
    expect(await rowCount('CLI', ['2025-08'])).toBe(expected);
  });

  it('reads --from/--to without an offset as UTC, whatever the zone the process runs in', async () => {
    // 19:30-20:30 UTC holds the last 30 minutes of the US session; read in New York time it would hold none.
    const result = run(['backfill', '--asset', 'ZONE', '--from', '2025-08-04T19:30', '--to', '2025-08-04T20:30'], {
      TZ: 'America/New_York',
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('rows written: 30\n');
    expect(await rowCount('ZONE', ['2025-08'])).toBe(30);
  });

  it('refuses a backfill or an import at another interval than the series is stored at, writing nothing', async () => {
    const day = ['--from', '2025-08-04', '--to', '2025-08-04'];
    expect(run(['backfill', '--asset', 'IVL', ...day]).status).toBe(0);
    const stored = await rowCount('IVL', ['2025-08']);
    expect(stored).toBeGreaterThan(0);
    const backfill = run(['backfill', '--asset', 'IVL', ...day, '--interval', '5m']);
    expect(backfill.status).toBe(2);
    expect(backfill.stderr).toContain('asset IVL is stored at interval 1m: refusing to write 5m bars into it');
    const csv = run([
      'import',
      '--file',
      path.join(ROOT, 'test/fixtures/csv/prices.csv'),
      '--asset',
      'IVL',
      '--interval',
      '1d',
    ]);
    expect(csv.status).toBe(2);
    expect(csv.stderr).toContain('asset IVL is stored at interval 1m: refusing to write 1d bars into it');
    expect(await rowCount('IVL', ['2025-08'])).toBe(stored);
  });

  it('completes without duplicates or gaps when re-run after being killed with SIGKILL mid-backfill', async () => {
    const args = ['backfill', '--asset', 'KILLED', '--from', '2022-01-01', '--to', '2024-06-30'];
    const child = spawn(process.execPath, [ENTRY, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let progress = '';
    child.stderr.on('data', (chunk: Buffer) => (progress += chunk.toString()));
    // Killed once the run is past its first rollup batches (16 local days each), so a
    // checkpoint exists, and long before its end (30 months; progress is printed once a second).
    const pastFirstBatches = () =>
      [...progress.matchAll(/up to (\d{4}-\d\d)/g)].some(([, month]) => (month ?? '') >= '2022-03');
    const deadline = Date.now() + 60_000;
    while (!pastFirstBatches() && Date.now() < deadline) await sleep(20);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const months = Array.from({ length: 30 }, (_, index) => {
      const month = new Date(Date.UTC(2022, index, 1));
      return month.toISOString().slice(0, 7);
    });
    const expected = syntheticCount('KILLED', '2022-01-01T00:00:00Z', '2024-07-01T00:00:00Z');
    const partial = await rowCount('KILLED', months);
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(expected);
    const resumed = run(args);
    expect(resumed.status).toBe(0);
    // It resumes from its checkpoint (the end of the last chunk fully written), not from --from.
    const resumedFrom = /resuming from (\S+) \(an earlier run's checkpoint; --restart starts over\)/.exec(
      resumed.stdout,
    )?.[1];
    expect(resumedFrom).toMatch(/^202[234]-\d\d-\d\dT00:00:00\.000Z$/);
    const written = Number(/rows written: (\d+)/.exec(resumed.stdout)?.[1]);
    expect(written).toBe(syntheticCount('KILLED', resumedFrom ?? '', '2024-07-01T00:00:00Z'));
    expect(written).toBeLessThan(expected);
    expect(await rowCount('KILLED', months)).toBe(expected);
  });

  it.each([
    [
      ['backfill', '--asset', 'X', '--from', '2025-08-31', '--to', '2025-08-01'],
      /--from \(2025-08-31\) must be before --to \(2025-08-01\)/,
    ],
    [
      ['backfill', '--asset', 'X', '--from', '2025-08-01', '--to', '2025-08-02', '--source', 'nasdaq'],
      /unknown source "nasdaq": use one of synthetic, yahoo/,
    ],
    [
      ['backfill', '--asset', 'NOPE', '--from', '2025-08-01', '--to', '2025-08-02', '--source', 'fred'],
      /unknown asset "NOPE"/,
    ],
    [
      ['backfill', '--from', '2025-08-01', '--to', '2025-08-02'],
      /--asset <id\[,id...\]> or --commodity <id\[,id...\]>/,
    ],
    [['backfill', '--asset', 'M1,,M2', '--from', '2025-08-01', '--to', '2025-08-02'], /--asset holds an empty id/],
    [['backfill', '--asset', 'M1,M1', '--from', '2025-08-01', '--to', '2025-08-02'], /--asset names M1 twice/],
    [
      ['backfill', '--asset', 'M1,M2', '--from', '2025-08-01', '--to', '2025-08-02', '--parallel', '0'],
      /--parallel must be a whole number from 1 to 64 \(got "0"\)/,
    ],
    [
      ['backfill', '--asset', 'M1,M2', '--from', '2025-08-01', '--to', '2025-08-02', '--symbol', 'AAPL'],
      /--symbol names one series' provider symbol/,
    ],
    [
      ['backfill', '--asset', 'X', '--from', '2025-02-30T00:00:00Z', '--to', '2025-03-05'],
      /--from is not a real calendar date and time \(got "2025-02-30T00:00:00Z"\)/,
    ],
    [['import', '--file', '/no/such/file.csv', '--asset', 'X'], /no such file/],
    [['backfill', '--asset', 'X', '--from', '2025-08-01', '--to', '2025-08-02', '--bogus'], /unknown option --bogus/],
    [['import', '--file'], /--file needs a value: --file <path>/],
    [['frobnicate', '--asset', 'X'], /unknown command "frobnicate": use one of backfill, import/],
  ])('rejects bad input %j with a clear message and exit code 2', (args, message) => {
    const result = run(args);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it.each([
    ['backfill', '--interval <interval>'],
    ['import', '--file <path>'],
  ])('prints the help of %s and exits 0 without touching Cassandra', (command, option) => {
    const result = run([command, '--help'], { CASSANDRA_CONTACT_POINTS: '127.0.0.1:1' });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`Usage: ingestor ${command} [options]`);
    expect(result.stdout).toContain(option);
  });

  it('imports a CSV file, and refuses a file with a malformed line before writing anything', async () => {
    const good = run(['import', '--file', path.join(ROOT, 'test/fixtures/csv/prices.csv'), '--asset', 'CSVOK']);
    expect(good.status).toBe(0);
    expect(good.stdout).toMatch(/rows written: [1-9]/);
    expect(await rowCount('CSVOK', ['2025-08'])).toBeGreaterThan(0);
    const bad = run(['import', '--file', path.join(ROOT, 'test/fixtures/csv/bad-price.csv'), '--asset', 'CSVBAD']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/line 4: price "abc" is not a plain decimal number/);
    expect(await rowCount('CSVBAD', ['2025-08'])).toBe(0);
    // `12,05` fits the three columns by accident (price 12, volume 5): refused, nothing written.
    const comma = run([
      'import',
      '--file',
      path.join(ROOT, 'test/fixtures/csv/decimal-comma-volume.csv'),
      '--asset',
      'CSVCOMMA',
    ]);
    expect(comma.status).toBe(2);
    expect(comma.stderr).toMatch(/line 3: volume "05" has a leading zero/);
    expect(await rowCount('CSVCOMMA', ['2025-08'])).toBe(0);
  });

  it('backfills several series in one process, each resuming from its own checkpoint', async () => {
    const ids = ['MANY1', 'MANY2', 'MANY3'];
    const days = ['--from', '2025-08-04', '--to', '2025-08-05'];
    const first = run(['backfill', '--asset', ids.join(','), ...days, '--parallel', '2']);
    expect(first.status).toBe(0);
    const counts = ids.map((id) => syntheticCount(id, '2025-08-04T00:00:00Z', '2025-08-06T00:00:00Z'));
    for (const [index, id] of ids.entries()) {
      expect(first.stdout).toContain(`asset ${id}: ${counts[index]} rows written, 0 rejected\n`);
      expect(await rowCount(id, ['2025-08'])).toBe(counts[index]);
    }
    expect(first.stdout).toContain('series: 3 of 3 backfilled, 2 at a time\n');
    expect(first.stdout).toContain(`rows written: ${counts.reduce((sum, count) => sum + count, 0)}\n`);
    // A fourth series joins: the three done ones resume at their end and write nothing.
    const again = run(['backfill', '--asset', [...ids, 'MANY4'].join(','), ...days]);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('asset MANY1: resuming from 2025-08-06T00:00:00.000Z: an earlier run completed');
    expect(again.stdout).toContain('asset MANY1: 0 rows written, 0 rejected\n');
    const fourth = syntheticCount('MANY4', '2025-08-04T00:00:00Z', '2025-08-06T00:00:00Z');
    expect(again.stdout).toContain(`rows written: ${fourth}\n`);
    expect(again.stdout).toContain('series: 4 of 4 backfilled, 4 at a time\n');
  });

  it('finishes the other series when one of several fails, and exits 1 naming it', async () => {
    const day = ['--from', '2025-08-04', '--to', '2025-08-04'];
    expect(run(['backfill', '--asset', 'FIVEMIN', ...day, '--interval', '5m']).status).toBe(0);
    const result = run(['backfill', '--asset', 'FIVEMIN,ONEMIN', ...day, '--interval', '1m']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('asset FIVEMIN: failed: asset FIVEMIN is stored at interval 5m');
    expect(result.stderr).toContain('1 of 2 series failed (FIVEMIN); run again to resume them');
    expect(result.stdout).toContain('series: 1 of 2 backfilled');
    expect(await rowCount('ONEMIN', ['2025-08'])).toBe(
      syntheticCount('ONEMIN', '2025-08-04T00:00:00Z', '2025-08-05T00:00:00Z'),
    );
  });

  describe('the worker', () => {
    let worker: ChildProcess | null = null;

    afterEach(() => {
      worker?.kill('SIGKILL');
    });

    it('on SIGTERM finishes its chunk, keeps a checkpoint that only covers written data, releases its lease and stops', async () => {
      const jobsFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'jobs-')), 'jobs.json');
      fs.writeFileSync(
        jobsFile,
        JSON.stringify({
          jobs: [
            {
              id: 'e2e-term',
              kind: 'asset',
              seriesId: 'TERM',
              provider: 'synthetic',
              symbol: 'TERM',
              interval: '1m',
              everySeconds: 3600,
              backfillFrom: '2023-01-01',
            },
          ],
        }),
      );
      const child = spawn(process.execPath, [ENTRY], {
        cwd: ROOT,
        // AUTH_ENABLED=false: the worker's port asks for credentials as the API's does; this test reads no metrics.
        env: {
          ...env,
          JOBS_FILE: jobsFile,
          INGESTOR_PORT: String(await freePort()),
          LOG_LEVEL: 'info',
          AUTH_ENABLED: 'false',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      worker = child;
      let output = '';
      child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const deadline = Date.now() + 60_000;
      let checkpoint: Date | null = null;
      while (checkpoint === null && Date.now() < deadline) {
        await sleep(200);
        if (child.exitCode !== null) throw new Error(`the worker exited with ${child.exitCode}:\n${output}`);
        const row = (
          await keyspace.admin.execute(
            "SELECT last_ts FROM ingest_checkpoints WHERE source_id = 'synthetic' AND series_kind = 'asset' AND series_id = 'TERM'",
          )
        ).first();
        checkpoint = (row?.get('last_ts') as Date | undefined) ?? null;
      }
      expect(checkpoint).not.toBeNull();
      const stopped = Date.now();
      child.kill('SIGTERM');
      const exit = await new Promise<{ code: number | null; signal: string | null }>((resolve) =>
        child.once('exit', (code, signal) => resolve({ code, signal })),
      );
      // The shutdown hooks ran to the end: a clean stop, exit code 0.
      expect([exit.code, exit.signal]).toEqual([0, null]);
      expect(output).toContain('job e2e-term stopped for shutdown');
      expect(Date.now() - stopped).toBeLessThan(20_000);
      expect(output).not.toMatch(/job e2e-term: .* rows written/); // it stopped long before the end of its backfill

      const lease = await keyspace.admin.execute("SELECT owner FROM job_leases WHERE job_id = 'e2e-term'");
      expect(lease.rowLength).toBe(0);
      const finalCheckpoint = (
        await keyspace.admin.execute(
          "SELECT last_ts FROM ingest_checkpoints WHERE source_id = 'synthetic' AND series_kind = 'asset' AND series_id = 'TERM'",
        )
      )
        .first()
        .get('last_ts') as Date;
      // Everything before the checkpoint is in Cassandra.
      const before = syntheticCount('TERM', '2023-01-01T00:00:00Z', finalCheckpoint.toISOString());
      const months: string[] = [];
      for (
        let month = new Date('2023-01-01T00:00:00Z');
        month < finalCheckpoint;
        month.setUTCMonth(month.getUTCMonth() + 1)
      ) {
        months.push(month.toISOString().slice(0, 7));
      }
      const stored = await rowCount('TERM', months);
      expect(stored).toBeGreaterThanOrEqual(before);
      expect(before).toBeGreaterThan(0);
    });
  });
});
