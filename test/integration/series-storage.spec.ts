import { Test, type TestingModule } from '@nestjs/testing';
import type { Client } from 'cassandra-driver';
import {
  type BarValues,
  CassandraModule,
  type CassandraConfig,
  Migrator,
  QuoteRepository,
  RangeReader,
  type RangeReadRequest,
  SeriesExtentRepository,
  RollupRepository,
  PartitionChangeRepository,
  SeriesWriter,
  TimeSeriesRepository,
  loadMigrations,
  runMigrations,
} from '@market/cassandra';
import { parseTimeZone } from '@market/domain';
import { MIGRATIONS_DIR, adminClient, migratedKeyspace, testConfig } from '../support/test-keyspace';

const UTC = parseTimeZone('UTC');

type Keyspace = Awaited<ReturnType<typeof migratedKeyspace>>;

const MINUTE = 60_000;
const minuteBars = (start: string, count: number, price = 100): BarValues[] =>
  Array.from({ length: count }, (_, index) => ({
    ts: new Date(Date.parse(start) + index * MINUTE),
    price: `${price + index}.25`,
    volume: index,
  }));

/** Every row of a range, page after page, as `ts price` lines. */
async function readAll(reader: RangeReader, request: Omit<RangeReadRequest, 'position'>): Promise<string[]> {
  const rows: string[] = [];
  let position: RangeReadRequest['position'] = null;
  for (let pages = 0; pages < 1000; pages += 1) {
    const page = await reader.readPage({ ...request, position });
    rows.push(...page.points.map((point) => `${point.ts.toISOString()} ${point.price}`));
    if (page.next === null) return rows;
    position = page.next;
  }
  throw new Error('the walk did not end');
}

describe('series writer and range reader against real Cassandra', () => {
  let keyspace: Keyspace;
  let moduleRef: TestingModule;
  let writer: SeriesWriter;
  let reader: RangeReader;
  let extents: SeriesExtentRepository;

  beforeAll(async () => {
    keyspace = await migratedKeyspace('it_series');
    moduleRef = await Test.createTestingModule({ imports: [CassandraModule.forRoot(keyspace.config)] }).compile();
    await moduleRef.init();
    extents = moduleRef.get(SeriesExtentRepository);
    writer = new SeriesWriter(
      moduleRef.get(TimeSeriesRepository),
      moduleRef.get(QuoteRepository),
      extents,
      moduleRef.get(RollupRepository),
      { batchRows: 50, concurrency: 3 },
      moduleRef.get(PartitionChangeRepository),
    );
    reader = moduleRef.get(RangeReader);
  });

  afterAll(async () => {
    await moduleRef.close();
    await keyspace.drop();
  });

  it('keeps the widest extent whatever the order and concurrency of writes', async () => {
    // Six writes over three months, started together, the newest and oldest in the middle.
    const writes = [
      minuteBars('2025-08-10T10:00:00Z', 20),
      minuteBars('2025-09-30T23:50:00Z', 20),
      minuteBars('2025-07-01T00:00:00Z', 5),
      minuteBars('2025-08-01T00:00:00Z', 5),
      minuteBars('2025-07-15T00:00:00Z', 5),
      minuteBars('2025-09-01T00:00:00Z', 5),
    ];
    await Promise.all(writes.map((bars) => writer.write('asset', 'EXTENT', 'test', bars, UTC)));
    // A later write inside the extent does not narrow it.
    await writer.write('asset', 'EXTENT', 'test', minuteBars('2025-08-20T00:00:00Z', 1), UTC);
    expect(await extents.get('asset', 'EXTENT')).toEqual({
      first: new Date('2025-07-01T00:00:00Z'),
      last: new Date('2025-10-01T00:09:00Z'),
    });
    expect(await extents.get('commodity', 'EXTENT')).toBeNull();
  });

  it('writes bars across buckets in batches and offers the newest as latest quote', async () => {
    const bars = minuteBars('2025-08-31T23:00:00Z', 130, 50);
    await writer.write('asset', 'SPLIT', 'feed', bars, UTC);
    const rows = await readAll(reader, {
      kind: 'asset',
      seriesId: 'SPLIT',
      from: new Date('2025-01-01T00:00:00Z'),
      to: new Date('2025-12-31T23:59:59.999Z'),
      order: 'asc',
      limit: 37,
      maxEmptyBuckets: 3,
    });
    expect(rows).toEqual(bars.map((bar) => `${bar.ts.toISOString()} ${bar.price}`));
    expect(await moduleRef.get(QuoteRepository).latest('SPLIT')).toMatchObject({
      ts: bars.at(-1)?.ts,
      price: bars.at(-1)?.price,
      sourceId: 'feed',
    });
  });

  it('walks newest first across buckets, every row once', async () => {
    const bars = [...minuteBars('2024-12-31T23:55:00Z', 10), ...minuteBars('2025-03-01T00:00:00Z', 7)];
    await writer.write('commodity', 'brent', 'fred', bars, UTC);
    const rows = await readAll(reader, {
      kind: 'commodity',
      seriesId: 'brent',
      from: new Date('1900-01-01T00:00:00Z'),
      to: new Date('2100-01-01T00:00:00Z'),
      order: 'desc',
      limit: 4,
      maxEmptyBuckets: 2,
    });
    expect(rows).toEqual(bars.map((bar) => `${bar.ts.toISOString()} ${bar.price}`).reverse());
  });

  it('reads rows stored without an extent (written before it existed): nothing is hidden', async () => {
    const repository = moduleRef.get(TimeSeriesRepository);
    const bars = [...minuteBars('2025-05-01T00:00:00Z', 3), ...minuteBars('2025-06-30T23:59:00Z', 2)];
    for (const bar of bars) await repository.insert('asset', 'LEGACY', { ...bar, sourceId: 'old' });
    expect(await extents.get('asset', 'LEGACY')).toBeNull();
    const rows = await readAll(reader, {
      kind: 'asset',
      seriesId: 'LEGACY',
      from: new Date('2024-01-01T00:00:00Z'),
      to: new Date('2025-12-31T23:59:59.999Z'),
      order: 'asc',
      limit: 100,
      maxEmptyBuckets: 5,
    });
    expect(rows).toEqual(bars.map((bar) => `${bar.ts.toISOString()} ${bar.price}`));
  });
});

describe('migration 005 back-fills the extent of series stored before it', () => {
  let config: CassandraConfig;
  let admin: Client;

  beforeAll(async () => {
    config = testConfig('it_extent_backfill');
    admin = await adminClient(config);
  });

  afterAll(async () => {
    await admin.execute(`DROP KEYSPACE IF EXISTS ${config.keyspace}`);
    await admin.shutdown();
  });

  it('records first and last bar of every existing series, so clamped reads hide none of their rows', async () => {
    const before005 = loadMigrations(MIGRATIONS_DIR).filter((migration) => migration.version < 5);
    await new Migrator(admin, config).migrate(before005);
    const insert = (table: string, idColumn: string, id: string, bucket: string, ts: string) =>
      admin.execute(
        `INSERT INTO ${config.keyspace}.${table} (${idColumn}, bucket, ts, price, source_id) VALUES (?, ?, ?, ?, ?)`,
        [id, bucket, new Date(ts), '1.5', 'old'],
        { prepare: true },
      );
    await insert('asset_timeseries', 'asset_id', 'OLD', '2019-03', '2019-03-04T14:30:00Z');
    await insert('asset_timeseries', 'asset_id', 'OLD', '2019-03', '2019-03-01T14:30:00Z');
    await insert('asset_timeseries', 'asset_id', 'OLD', '2024-11', '2024-11-29T21:00:00Z');
    await insert('asset_timeseries', 'asset_id', 'OLD', '2024-11', '2024-11-02T21:00:00Z');
    await insert('commodity_timeseries', 'commodity_id', 'wti', '2023-06', '2023-06-06T00:00:00Z');

    const report = await runMigrations(config, MIGRATIONS_DIR);
    expect(report.applied.map((migration) => migration.version)).toContain(5);

    const extentOf = async (kind: string, id: string) => {
      const row = (
        await admin.execute(
          `SELECT first_ts, last_ts FROM ${config.keyspace}.series_extent WHERE series_kind = ? AND series_id = ?`,
          [kind, id],
          { prepare: true },
        )
      ).first();
      return { first: (row.get('first_ts') as Date).toISOString(), last: (row.get('last_ts') as Date).toISOString() };
    };
    expect(await extentOf('asset', 'OLD')).toEqual({
      first: '2019-03-01T14:30:00.000Z',
      last: '2024-11-29T21:00:00.000Z',
    });
    expect(await extentOf('commodity', 'wti')).toEqual({
      first: '2023-06-06T00:00:00.000Z',
      last: '2023-06-06T00:00:00.000Z',
    });
  });
});
