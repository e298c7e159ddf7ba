import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type RunningApi, startApi } from '../support/api-app';
import { FakePriceServer } from '../support/fake-price-server';

/**
 * Gap healing as users run it (`ingestor heal`, the built entry point as its own process),
 * killed with SIGKILL in the middle and run again. The provider is a fake Binance that
 * missed some random hours across ten days (sessions of the 24/7 calendar) during the
 * backfill and serves them on heal, except one run it never has. The kill lands while the
 * heal waits for the answer of its 8th range: the fake server holds that answer, so the kill
 * point is an event, not a sleep, and the ranges before it are known to be written.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const ENTRY = path.join(ROOT, 'dist', 'apps', 'ingestor', 'main.js');
const HOUR = 3_600_000;
const FROM = Date.parse('2025-07-01T00:00:00Z');
const TO = Date.parse('2025-07-11T00:00:00Z'); // --to 2025-07-10 covers that whole day
/** The run the provider never has: confirmed empty by the heal, never asked again. */
const NEVER = [
  Date.parse('2025-07-06T03:00:00Z'),
  Date.parse('2025-07-06T04:00:00Z'),
  Date.parse('2025-07-06T05:00:00Z'),
];
const HELD_REQUEST = 8;
const ID = 'HEALKILL';
const byTime = (left: number, right: number) => left - right;

/** The provider's bar of an hour: price and volume derived from the hour, so values are checked. */
const priceAt = (open: number) => `${100 + ((open / HOUR) % 53)}.${String((open / HOUR) % 97).padStart(2, '0')}`;
const volumeAt = (open: number) => String(10 + ((open / HOUR) % 31));

/** Seeded runs of 1–3 missed hours, apart from each other and from NEVER, so a failure names a reproducible set. */
function missedHours(seed: number, runs: number): Set<number> {
  const hours = (TO - FROM) / HOUR;
  const taken = new Set(NEVER.map((open) => (open - FROM) / HOUR));
  const missed = new Set<number>();
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state;
  };
  let made = 0;
  while (made < runs) {
    const start = next() % hours;
    const length = 1 + (next() % 3);
    const span = Array.from({ length: length + 2 }, (_, offset) => start - 1 + offset);
    if (start + length > hours || span.some((hour) => taken.has(hour))) continue;
    for (let hour = start; hour < start + length; hour += 1) missed.add(FROM + hour * HOUR);
    for (const hour of span) taken.add(hour);
    made += 1;
  }
  return missed;
}

describe('a heal killed with SIGKILL and run again', () => {
  let fake: FakePriceServer;
  let api: RunningApi;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    const build = spawnSync('npx', ['nest', 'build', 'ingestor'], { cwd: ROOT, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`build failed: ${build.stdout}${build.stderr}`);
    fake = await FakePriceServer.start();
    api = await startApi('e2e_heal_kill');
    env = {
      ...process.env,
      CASSANDRA_KEYSPACE: api.keyspace.config.keyspace,
      INGESTOR_HOST: '127.0.0.1',
      BINANCE_BASE_URL: fake.baseUrl,
      HEAL_BACKOFF_MS: '0',
      // The held answer must outlive the kill, never time out into a retry.
      PROVIDER_TIMEOUT_MS: '60000',
    };
  }, 300_000);

  afterAll(async () => {
    await fake?.stop();
    await api?.close();
  });

  const series = ['--asset', ID, '--symbol', 'BTCUSDT', '--source', 'binance', '--interval', '1h'];
  const range = ['--from', '2025-07-01', '--to', '2025-07-10'];
  /** Runs the CLI to its end, without blocking this process: the fake provider answers from here. */
  async function run(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
    const child = spawn(process.execPath, [ENTRY, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    const status = await new Promise<number | null>((resolve) => child.once('close', resolve));
    clearTimeout(timer);
    return { status, stdout, stderr };
  }

  /**
   * The fake Binance: klines of [startTime, endTime] (both inclusive) without the hours `absent`
   * names; `hold` (a request's number from now) is answered only after the test is over, and
   * the hours it asked for are kept in `held`.
   */
  function serve(absent: (open: number) => boolean, hold?: { readonly request: number; readonly held: number[] }) {
    let requests = 0;
    fake.answer((url) => {
      requests += 1;
      const start = Number(url.searchParams.get('startTime'));
      const end = Number(url.searchParams.get('endTime'));
      const hours: number[] = [];
      for (let open = Math.ceil(start / HOUR) * HOUR; open <= end; open += HOUR) hours.push(open);
      if (hold?.request === requests) {
        hold.held.push(...hours);
        return { status: 200, body: '[]', delayMs: 600_000 };
      }
      const klines = hours
        .filter((open) => !absent(open))
        .map((open) => {
          const price = priceAt(open);
          return [open, price, price, price, price, volumeAt(open), open + HOUR - 1, '0', 1, '0', '0', '0'];
        });
      return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(klines) };
    });
  }

  /** The hours the fake Binance answered with a kline, from a point on. */
  function servedSince(requestsBefore: number, never: ReadonlySet<number>): Set<number> {
    return new Set(
      fake.requests.slice(requestsBefore).flatMap((url) => {
        const start = Number(url.searchParams.get('startTime'));
        const end = Number(url.searchParams.get('endTime'));
        const hours: number[] = [];
        for (let open = Math.ceil(start / HOUR) * HOUR; open <= end; open += HOUR)
          if (!never.has(open)) hours.push(open);
        return hours;
      }),
    );
  }

  async function storedRows(): Promise<Array<[number, string, string]>> {
    const result = await api.keyspace.admin.execute(
      'SELECT ts, price, volume FROM asset_timeseries WHERE asset_id = ? AND bucket = ?',
      [ID, '2025-07'],
      { prepare: true, fetchSize: 10_000 },
    );
    return result.rows.map((row) => [
      (row.get('ts') as Date).getTime(),
      String(row.get('price')),
      String(row.get('volume')),
    ]);
  }

  async function confirmedEmpty(): Promise<Array<[string, string, string]>> {
    const result = await api.keyspace.admin.execute(
      "SELECT range_from, range_to, source_id FROM confirmed_empty_ranges WHERE series_kind = 'asset' AND series_id = ?",
      [ID],
      { prepare: true },
    );
    return result.rows.map((row) => [
      (row.get('range_from') as Date).toISOString(),
      (row.get('range_to') as Date).toISOString(),
      String(row.get('source_id')),
    ]);
  }

  it('ends complete, with exactly the provider’s rows, no duplicates, and the never-served run recorded once', async () => {
    const missed = missedHours(29, 24);
    const never = new Set(NEVER);
    const allHours = Array.from({ length: (TO - FROM) / HOUR }, (_, index) => FROM + index * HOUR);
    const provider = allHours.filter((open) => !never.has(open));

    // The backfill the provider answered with holes.
    serve((open) => missed.has(open) || never.has(open));
    const backfill = await run(['backfill', ...series, ...range]);
    expect(backfill).toMatchObject({ status: 0 }); // on failure, its stderr is shown too
    expect((await storedRows()).length).toBe(allHours.length - missed.size - NEVER.length);

    // The heal, killed while it waits for its 8th range's answer.
    const heldHours: number[] = [];
    const requestsBefore = fake.requests.length;
    serve((open) => never.has(open), { request: HELD_REQUEST, held: heldHours });
    const child = spawn(process.execPath, [ENTRY, 'heal', ...series, ...range], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_, signal) => resolve(signal)));
    const deadline = Date.now() + 60_000;
    while (heldHours.length === 0 && child.exitCode === null && Date.now() < deadline) await sleep(10);
    if (heldHours.length === 0) {
      child.kill('SIGKILL');
      throw new Error(`the heal never reached its ${HELD_REQUEST}th range (exit ${child.exitCode}):\n${output}`);
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    // Killed midway: the ranges answered before the held one are written, the held one and later are not.
    const afterKill = new Set((await storedRows()).map(([ts]) => ts));
    const held = new Set(heldHours);
    const served = new Set([...servedSince(requestsBefore, never)].filter((open) => !held.has(open)));
    const healedBeforeKill = [...missed].filter((open) => afterKill.has(open));
    expect([...served].filter((open) => !afterKill.has(open))).toEqual([]);
    expect(healedBeforeKill.sort(byTime)).toEqual([...served].filter((open) => missed.has(open)).sort(byTime));
    expect(healedBeforeKill.length).toBeGreaterThan(0);
    expect(heldHours.some((open) => missed.has(open) && !afterKill.has(open))).toBe(true);
    expect(healedBeforeKill.length).toBeLessThan(missed.size - 3);
    // Nothing confirmed empty yet: a heal records only after its fetches, from a second coverage.
    expect(await confirmedEmpty()).toEqual([]);

    // Run again, to completion, with the provider answering normally.
    serve((open) => never.has(open));
    const resumed = await run(['heal', ...series, ...range]);
    expect(resumed).toMatchObject({ status: 0 }); // on failure, its stderr is shown too
    const stillMissing = missed.size - healedBeforeKill.length;
    expect(resumed.stdout).toContain(`bars healed: ${stillMissing}\n`);
    expect(resumed.stdout).toMatch(new RegExp(`missing ranges: \\d+ \\(${stillMissing + NEVER.length} bars\\)\n`));
    expect(resumed.stdout).toContain('bars confirmed empty by the provider: 3 (recorded, not asked again)\n');
    expect(resumed.stdout).toContain('ranges failed after every attempt: 0\n');
    expect(resumed.stdout).toContain('bars still missing: 0\n');

    // The rows are the provider's, exactly: every hour it has once, in order, with its values.
    expect(await storedRows()).toEqual(provider.map((open) => [open, priceAt(open), volumeAt(open)]));
    expect(await confirmedEmpty()).toEqual([
      [new Date(NEVER[0] ?? 0).toISOString(), new Date(NEVER[2] ?? 0).toISOString(), 'binance'],
    ]);

    // Coverage: every session complete but the one holding the run the provider does not have.
    const report = await api.http
      .get(`/api/v1/data/${ID}/coverage`)
      .query({ from: '2025-07-01', to: '2025-07-10' })
      .expect(200);
    const body = report.body as {
      sessions: Array<{ date: string; status: string }>;
      totals: Record<string, number>;
    };
    expect(body.totals).toMatchObject({
      sessions: 10,
      expected: 240,
      present: 237,
      missing: 3,
      complete: 9,
      partial: 1,
    });
    expect(body.sessions.filter((session) => session.status !== 'complete')).toMatchObject([
      {
        date: '2025-07-06',
        status: 'partial',
        expected: 24,
        present: 21,
        early_close: false,
        missing: [{ from: '2025-07-06T03:00:00.000Z', to: '2025-07-06T05:00:00.000Z', bars: 3 }],
      },
    ]);

    // A third run finds nothing to do and asks the provider nothing.
    const requests = fake.requests.length;
    const again = await run(['heal', ...series, ...range]);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('missing ranges: 0 (0 bars)\n');
    expect(again.stdout).toContain('bars skipped as confirmed empty earlier: 3\n');
    expect(again.stdout).toContain('bars still missing: 0\n');
    expect(fake.requests.length).toBe(requests);
  }, 240_000);
});
