import { Test, type TestingModule } from '@nestjs/testing';
import { TerminusModule } from '@nestjs/terminus';
import { types } from 'cassandra-driver';
import {
  type BucketSlice,
  CassandraHealthIndicator,
  CassandraModule,
  CassandraSession,
  type PricePointInput,
  TimeSeriesRepository,
  bucketSlices,
} from '@market/cassandra';
import { migratedKeyspace, testConfig } from '../support/test-keyspace';

type Keyspace = Awaited<ReturnType<typeof migratedKeyspace>>;

async function moduleFor(config: Keyspace['config']): Promise<TestingModule> {
  const moduleRef = await Test.createTestingModule({
    imports: [TerminusModule, CassandraModule.forRoot(config)],
  }).compile();
  await moduleRef.init();
  return moduleRef;
}

/** The single bucket slice of a range that lies within one month. */
function monthSlice(fromIso: string, toIso: string): BucketSlice {
  const [slice, ...rest] = bucketSlices(new Date(fromIso), new Date(toIso));
  if (slice === undefined || rest.length > 0) throw new Error(`${fromIso}..${toIso} is not one month`);
  return slice;
}

const minute = (iso: string, minutes: number) => new Date(new Date(iso).getTime() + minutes * 60_000);

describe('CassandraModule against real Cassandra', () => {
  let keyspace: Keyspace;
  let moduleRef: TestingModule;
  let repository: TimeSeriesRepository;

  beforeAll(async () => {
    keyspace = await migratedKeyspace('it_module');
    moduleRef = await moduleFor(keyspace.config);
    repository = moduleRef.get(TimeSeriesRepository);
  });

  afterAll(async () => {
    await moduleRef.close();
    await keyspace.drop();
  });

  it('connects one session, runs statements in the configured keyspace and reads at the configured consistency', async () => {
    const session = moduleRef.get(CassandraSession);
    // Statements name their keyspace (cassandra.session.ts says why): the client has none.
    expect(session.client.keyspace).toBeFalsy();
    expect(session.client.getState().getConnectedHosts().length).toBeGreaterThanOrEqual(1);
    const probe = {
      name: 'probe',
      cql: 'SELECT version FROM {{keyspace}}.schema_migrations',
      kind: 'read',
      idempotent: true,
    } as const;
    const result = await session.execute(probe, []);
    expect(result.rowLength).toBeGreaterThan(0);
    expect(result.info.achievedConsistency).toBe(types.consistencies.localQuorum);
    const writeProbe = { ...probe, kind: 'write' } as const;
    const oneSession = await moduleFor({ ...keyspace.config, readConsistency: 'ONE', writeConsistency: 'ALL' });
    try {
      const session2 = oneSession.get(CassandraSession);
      expect((await session2.execute(probe, [])).info.achievedConsistency).toBe(types.consistencies.one);
      expect((await session2.execute(writeProbe, [])).info.achievedConsistency).toBe(types.consistencies.all);
    } finally {
      await oneSession.close();
    }
  });

  it('stores and returns prices digit for digit, with open/high/low and volume', async () => {
    const points: PricePointInput[] = [
      {
        ts: new Date('2025-08-01T13:30:00.000Z'),
        price: '189.10',
        open: '189.00',
        high: '189.25',
        low: '188.95',
        volume: 12000,
        sourceId: 'nasdaq',
      },
      { ts: new Date('2025-08-01T13:31:00.123Z'), price: '0.000123', volume: 0, sourceId: 'fred' },
      { ts: new Date('2025-08-01T13:32:00.000Z'), price: '123456789012345678901234567890.123456789', sourceId: 'x' },
      { ts: new Date('2025-08-01T13:33:00.000Z'), price: '-0.50', volume: Number.MAX_SAFE_INTEGER, sourceId: 'x' },
    ];
    for (const point of points) await repository.insert('asset', 'EXACT', point);
    const slice = monthSlice('2025-08-01T00:00:00Z', '2025-08-31T23:59:59.999Z');
    const page = await repository.readSlice('asset', 'EXACT', slice, { fetchSize: 100 });
    expect(page.pageState).toBeNull();
    expect(page.points).toEqual([
      {
        ts: points[0]?.ts,
        price: '189.10',
        open: '189.00',
        high: '189.25',
        low: '188.95',
        volume: 12000,
        sourceId: 'nasdaq',
      },
      { ts: points[1]?.ts, price: '0.000123', open: null, high: null, low: null, volume: 0, sourceId: 'fred' },
      {
        ts: points[2]?.ts,
        price: '123456789012345678901234567890.123456789',
        open: null,
        high: null,
        low: null,
        volume: null,
        sourceId: 'x',
      },
      {
        ts: points[3]?.ts,
        price: '-0.50',
        open: null,
        high: null,
        low: null,
        volume: Number.MAX_SAFE_INTEGER,
        sourceId: 'x',
      },
    ]);
  });

  it('writes points into the UTC month bucket of their ts', async () => {
    await repository.insert('commodity', 'brent', {
      ts: new Date('2025-09-01T00:30:00+02:00'),
      price: '67.10',
      sourceId: 'fred',
    });
    const rows = await keyspace.admin.execute(
      'SELECT bucket FROM commodity_timeseries WHERE commodity_id = ? AND bucket = ?',
      ['brent', '2025-08'],
    );
    expect(rows.rowLength).toBe(1);
  });

  it('leaves absent values unset instead of writing tombstones', async () => {
    const ts = new Date('2025-08-02T10:00:00Z');
    await repository.insert('asset', 'UNSET', { ts, price: '10.00', open: '9.00', sourceId: 'a' });
    // A second write without open must not erase the open the first one stored.
    await repository.insert('asset', 'UNSET', { ts, price: '10.50', sourceId: 'a' });
    const row = (
      await keyspace.admin.execute(
        'SELECT price, open FROM asset_timeseries WHERE asset_id = ? AND bucket = ? AND ts = ?',
        ['UNSET', '2025-08', ts],
        { prepare: true },
      )
    ).first();
    expect(String(row.get('price'))).toBe('10.50');
    expect(String(row.get('open'))).toBe('9.00');
  });

  it('pages through a slice with Cassandra paging state, ascending and descending', async () => {
    const start = '2025-10-01T13:30:00Z';
    for (let index = 0; index < 25; index += 1) {
      await repository.insert('asset', 'PAGED', {
        ts: minute(start, index),
        price: `${100 + index}.00`,
        sourceId: 's',
      });
    }
    const slice = monthSlice('2025-10-01T00:00:00Z', '2025-10-31T23:59:59.999Z');
    for (const order of ['asc', 'desc'] as const) {
      const seen: string[] = [];
      const pageSizes: number[] = [];
      let pageState: string | null = null;
      do {
        const page = await repository.readSlice('asset', 'PAGED', slice, { fetchSize: 10, pageState, order });
        pageSizes.push(page.points.length);
        seen.push(...page.points.map((point) => point.price));
        pageState = page.pageState;
      } while (pageState !== null);
      const expected = Array.from({ length: 25 }, (_, index) => `${100 + index}.00`);
      expect(seen).toEqual(order === 'asc' ? expected : expected.reverse());
      expect(pageSizes.slice(0, 2)).toEqual([10, 10]);
      expect(pageSizes.reduce((total, size) => total + size, 0)).toBe(25);
    }
  });

  it('reads only inside the slice bounds (inclusive at both ends)', async () => {
    const slice: BucketSlice = {
      bucket: '2025-10',
      from: minute('2025-10-01T13:30:00Z', 5),
      to: minute('2025-10-01T13:30:00Z', 7),
    };
    const page = await repository.readSlice('asset', 'PAGED', slice, { fetchSize: 100 });
    expect(page.points.map((point) => point.price)).toEqual(['105.00', '106.00', '107.00']);
  });

  it('reports ready through the health indicator', async () => {
    const result = await moduleRef.get(CassandraHealthIndicator).isReady('cassandra', 2000);
    expect(result).toEqual({ cassandra: { status: 'up', connectedHosts: 1, consistency: 'LOCAL_QUORUM' } });
  });

  it('reports not ready, with the reason, when the keyspace lost its schema', async () => {
    const other = await migratedKeyspace('it_health');
    const otherModule = await moduleFor(other.config);
    try {
      await other.admin.execute(`DROP TABLE ${other.config.keyspace}.schema_migrations`);
      const result = await otherModule.get(CassandraHealthIndicator).isReady('cassandra', 2000);
      expect(result.cassandra).toMatchObject({ status: 'down', reason: expect.stringMatching(/schema_migrations/) });
    } finally {
      await otherModule.close();
      await other.drop();
    }
  });

  it('shuts the driver down when the application closes', async () => {
    const other = await moduleFor(keyspace.config);
    const session = other.get(CassandraSession);
    await other.close();
    await expect(session.client.execute('SELECT now() FROM system.local')).rejects.toThrow(/shutdown/i);
  });

  it('fails start-up with the contact points in the message when Cassandra is unreachable', async () => {
    const unreachable = testConfig('it_down', {
      CASSANDRA_CONTACT_POINTS: '127.0.0.1:1',
      CASSANDRA_CONNECT_ATTEMPTS: '2',
    });
    await expect(moduleFor(unreachable)).rejects.toThrow(
      /cannot connect to Cassandra at 127\.0\.0\.1:1 after 2 attempts/,
    );
  });

  it('fails start-up pointing at db:migrate when the keyspace does not exist', async () => {
    await expect(moduleFor(testConfig('it_nokeyspace'))).rejects.toThrow(/does not exist.*npm run db:migrate/);
  });
});
