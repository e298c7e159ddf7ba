import { Test, type TestingModule } from '@nestjs/testing';
import { CassandraModule, CorporateActionRepository } from '@market/cassandra';
import type { CorporateAction } from '@market/domain';
import { migratedKeyspace } from '../support/test-keyspace';

type Keyspace = Awaited<ReturnType<typeof migratedKeyspace>>;

const AAPL_SPLIT: CorporateAction = {
  type: 'split',
  exDate: '2020-08-31',
  numerator: 4,
  denominator: 1,
  sourceId: 'yahoo',
};
const AAPL_DIVIDEND: CorporateAction = {
  type: 'dividend',
  exDate: '2020-08-07',
  amount: '0.82',
  currency: 'USD',
  sourceId: 'yahoo',
};

describe('corporate actions against real Cassandra', () => {
  let keyspace: Keyspace;
  let moduleRef: TestingModule;
  let actions: CorporateActionRepository;

  beforeAll(async () => {
    keyspace = await migratedKeyspace('it_actions');
    moduleRef = await Test.createTestingModule({ imports: [CassandraModule.forRoot(keyspace.config)] }).compile();
    await moduleRef.init();
    actions = moduleRef.get(CorporateActionRepository);
  });

  afterAll(async () => {
    await moduleRef?.close();
    await keyspace?.drop();
  });

  it('stores a split and a dividend raw and lists them by ex-date', async () => {
    await actions.upsert('asset', 'AAPL', [AAPL_SPLIT, AAPL_DIVIDEND], new Date('2026-01-01T00:00:00Z'));
    const listed = await actions.list('asset', 'AAPL');
    expect(listed.map(({ recordedAt: _recorded, ...action }) => action)).toEqual([
      { ...AAPL_DIVIDEND, knownAt: new Date('2026-01-01T00:00:00Z') },
      { ...AAPL_SPLIT, knownAt: new Date('2026-01-01T00:00:00Z') },
    ]);
  });

  it('is idempotent on re-ingest: the same rows, known_at kept at its first value', async () => {
    await actions.upsert('asset', 'AAPL', [AAPL_SPLIT, AAPL_DIVIDEND], new Date('2026-02-01T00:00:00Z'));
    const listed = await actions.list('asset', 'AAPL');
    expect(listed).toHaveLength(2);
    expect(listed.map((action) => action.knownAt)).toEqual([
      new Date('2026-01-01T00:00:00Z'),
      new Date('2026-01-01T00:00:00Z'),
    ]);
    expect(listed[0]?.recordedAt).toEqual(new Date('2026-02-01T00:00:00Z'));
  });

  it('keeps the earliest known_at whatever the order, and a source-given one', async () => {
    const declared = { ...AAPL_DIVIDEND, exDate: '2020-11-06', knownAt: new Date('2020-10-29T00:00:00Z') };
    await actions.upsert('asset', 'MSFT', [{ ...declared, knownAt: new Date('2020-10-30T00:00:00Z') }], new Date());
    await actions.upsert('asset', 'MSFT', [declared], new Date());
    await actions.upsert('asset', 'MSFT', [{ ...declared, knownAt: new Date('2020-10-31T00:00:00Z') }], new Date());
    expect((await actions.list('asset', 'MSFT')).map((action) => action.knownAt)).toEqual([
      new Date('2020-10-29T00:00:00Z'),
    ]);
  });

  it('keeps two actions of one day, one row per source, and a corrected amount overwrites', async () => {
    const dividend: CorporateAction = { ...AAPL_DIVIDEND, exDate: '2024-06-10', amount: '0.01', sourceId: 'csv' };
    const split: CorporateAction = { ...AAPL_SPLIT, exDate: '2024-06-10', numerator: 10, sourceId: 'csv' };
    const now = new Date();
    await actions.upsert('asset', 'NVDA', [dividend, split, { ...split, sourceId: 'alphavantage' }], now);
    await actions.upsert('asset', 'NVDA', [{ ...dividend, amount: '0.001' }], now);
    const listed = await actions.list('asset', 'NVDA', '2024-06-10', '2024-06-10');
    expect(listed.map((action) => `${action.type} ${action.sourceId}`)).toEqual([
      'dividend csv',
      'split alphavantage',
      'split csv',
    ]);
    expect(listed[0]).toMatchObject({ amount: '0.001', currency: 'USD' });
  });

  it('lists only ex-dates in [from, to], and nothing for another kind or series', async () => {
    expect((await actions.list('asset', 'AAPL', '2020-08-08', '2020-08-31')).map((a) => a.exDate)).toEqual([
      '2020-08-31',
    ]);
    expect(await actions.list('commodity', 'AAPL')).toEqual([]);
    expect(await actions.list('asset', 'GOOG')).toEqual([]);
  });
});
