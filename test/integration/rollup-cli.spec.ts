import { NestFactory } from '@nestjs/core';
import { DateTime } from 'luxon';
import { type BarValues, RollupRepository, SeriesWriter } from '@market/cassandra';
import { parseTimeZone } from '@market/domain';
import { CliModule } from '../../apps/ingestor/src/cli/cli.module';
import { runCli } from '../../apps/ingestor/src/cli/cli-runner';
import { migratedKeyspace } from '../support/test-keyspace';

type Keyspace = Awaited<ReturnType<typeof migratedKeyspace>>;

const MINUTE = 60_000;

describe('ingestor rollup (the CLI, in process) against real Cassandra', () => {
  let keyspace: Keyspace;
  const savedKeyspace = process.env.CASSANDRA_KEYSPACE;

  /** The CLI's own application context, as main.ts builds it, on the suite's keyspace. */
  const createContext = () => NestFactory.createApplicationContext(CliModule, { logger: false });

  async function cli(args: string[]): Promise<{ code: number; stderr: string }> {
    let stderr = '';
    const code = await runCli(args, createContext, {
      stdout: () => undefined,
      stderr: (text) => {
        stderr += text;
      },
    });
    return { code, stderr };
  }

  /** Every stored rollup of a series in [from, to], as text, oldest first. */
  async function rollupLines(kind: 'asset' | 'commodity', id: string, fromDay: string, toDay: string) {
    const context = await createContext();
    try {
      const lines: string[] = [];
      for await (const rollup of context.get(RollupRepository).days(kind, id, fromDay, toDay)) {
        lines.push(JSON.stringify({ ...rollup, volume: rollup.volume?.toString() ?? null }));
      }
      return lines;
    } finally {
      await context.close();
    }
  }

  beforeAll(async () => {
    keyspace = await migratedKeyspace('it_rollup_cli');
    process.env.CASSANDRA_KEYSPACE = keyspace.config.keyspace;
    await keyspace.admin.execute(
      "INSERT INTO assets (asset_id, symbol, name, meta) VALUES ('NYC', 'NYC', 'New York', {'interval': '1m', 'timezone': 'America/New_York'})",
    );
    await keyspace.admin.execute(
      "INSERT INTO commodities (commodity_id, symbol, name, meta) VALUES ('gold', 'GC', 'Gold', {'interval': '1m'})",
    );
    // Bars over five days around New York's DST change, written through the writer (which
    // keeps rollups), one of them re-written with another close.
    const context = await createContext();
    try {
      const writer = context.get(SeriesWriter);
      const bars = (zoneShift: number): BarValues[] =>
        Array.from({ length: 400 }, (_, index) => ({
          ts: new Date(Date.parse('2025-10-31T00:00:00Z') + index * 17 * MINUTE + zoneShift),
          price: `${100 + (index % 37)}.${index % 10}5`,
          high: `${140 + (index % 5)}.00`,
          volume: index % 3 === 0 ? null : index,
        }));
      await writer.write('asset', 'NYC', 'test', bars(0), parseTimeZone('America/New_York'));
      await writer.write(
        'asset',
        'NYC',
        'test',
        [{ ts: new Date('2025-11-02T12:00:00Z'), price: '999.99' }],
        parseTimeZone('America/New_York'),
      );
      await writer.write('commodity', 'gold', 'test', bars(MINUTE), parseTimeZone('UTC'));
    } finally {
      await context.close();
    }
  }, 120_000);

  afterAll(async () => {
    if (savedKeyspace === undefined) delete process.env.CASSANDRA_KEYSPACE;
    else process.env.CASSANDRA_KEYSPACE = savedKeyspace;
    await keyspace.drop();
  });

  it('rebuilds an emptied rollup table to the same rows, in the zone of the catalog entry, and again idempotently', async () => {
    const asset = await rollupLines('asset', 'NYC', '2025-10-01', '2025-11-30');
    const commodity = await rollupLines('commodity', 'gold', '2025-10-01', '2025-11-30');
    expect(asset).toHaveLength(6);
    expect(asset[0]).toContain('"timezone":"America/New_York"');
    expect(commodity.length).toBeGreaterThanOrEqual(5);

    await keyspace.admin.execute('TRUNCATE asset_daily_rollup');
    await keyspace.admin.execute('TRUNCATE commodity_daily_rollup');
    expect(await rollupLines('asset', 'NYC', '2025-10-01', '2025-11-30')).toEqual([]);

    expect(await cli(['rollup', '--asset', 'NYC', '--from', '2025-10-01', '--to', '2025-11-30'])).toEqual({
      code: 0,
      stderr: '',
    });
    expect(await cli(['rollup', '--commodity=gold', '--from=2025-10-30', '--to=2025-11-06T00:00:00Z'])).toEqual({
      code: 0,
      stderr: '',
    });
    expect(await rollupLines('asset', 'NYC', '2025-10-01', '2025-11-30')).toEqual(asset);
    expect(await rollupLines('commodity', 'gold', '2025-10-01', '2025-11-30')).toEqual(commodity);

    // Again: the same rows (each day replaced by its own recomputation).
    expect((await cli(['rollup', '--asset', 'NYC', '--from', '2025-10-01', '--to', '2025-11-30'])).code).toBe(0);
    expect(await rollupLines('asset', 'NYC', '2025-10-01', '2025-11-30')).toEqual(asset);
  }, 120_000);

  it('keeps rollups on a backfill through the ingestor, in the zone the API reads the entry with (synthetic: New York)', async () => {
    expect((await cli(['backfill', '--asset', 'SYN', '--from', '2025-03-08', '--to', '2025-03-10'])).code).toBe(0);
    const rollups = (await rollupLines('asset', 'SYN', '2025-03-01', '2025-03-31')).map(
      (line) =>
        JSON.parse(line) as { day: string; barCount: number; firstTs: string; lastTs: string; timezone: string },
    );
    expect(rollups.length).toBeGreaterThan(0);
    for (const rollup of rollups) {
      expect(rollup.timezone).toBe('America/New_York');
      expect(DateTime.fromISO(rollup.firstTs, { zone: 'America/New_York' }).toISODate()).toBe(rollup.day);
      expect(DateTime.fromISO(rollup.lastTs, { zone: 'America/New_York' }).toISODate()).toBe(rollup.day);
    }
    const [stored] = (
      await keyspace.admin.execute(
        "SELECT COUNT(*) AS n FROM asset_timeseries WHERE asset_id = 'SYN' AND bucket = '2025-03'",
      )
    ).rows;
    expect(rollups.reduce((sum, rollup) => sum + rollup.barCount, 0)).toBe(Number(stored?.get('n')));
  }, 120_000);

  it.each([
    [['rollup', '--asset', 'NYC', '--from', '2025-10-01'], '--from and --to are required'],
    [['rollup', '--asset', 'NYC', '--from', '2025-11-01', '--to', '2025-10-01'], 'must be before --to'],
    [['rollup', '--asset', 'NYC', '--from', '2025-02-30', '--to', '2025-03-01'], '--from'],
    [['rollup', '--from', '2025-10-01', '--to', '2025-11-01'], 'name the series with either --asset'],
    [
      ['rollup', '--asset', 'NYC', '--commodity', 'gold', '--from', '2025-10-01', '--to', '2025-11-01'],
      'name the series with either --asset',
    ],
    [['rollup', '--asset', 'NOPE', '--from', '2025-10-01', '--to', '2025-11-01'], 'unknown asset "NOPE"'],
  ])('refuses %j with exit code 2, writing nothing', async (args, message) => {
    await keyspace.admin.execute('TRUNCATE asset_daily_rollup');
    const result = await cli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(await rollupLines('asset', 'NYC', '2025-10-01', '2025-11-30')).toEqual([]);
    expect(await rollupLines('asset', 'NOPE', '2025-10-01', '2025-11-30')).toEqual([]);
  });
});
