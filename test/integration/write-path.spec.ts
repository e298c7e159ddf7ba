import { Test, type TestingModule } from '@nestjs/testing';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CassandraModule,
  IngestStateRepository,
  QuoteRepository,
  TimeSeriesRepository,
  bucketSlices,
  sourceRank,
} from '@market/cassandra';
import { migratedKeyspace } from '../support/test-keyspace';

type Keyspace = Awaited<ReturnType<typeof migratedKeyspace>>;

describe('write path repositories against real Cassandra', () => {
  let keyspace: Keyspace;
  let moduleRef: TestingModule;

  beforeAll(async () => {
    keyspace = await migratedKeyspace('it_write');
    moduleRef = await Test.createTestingModule({ imports: [CassandraModule.forRoot(keyspace.config)] }).compile();
    await moduleRef.init();
  });

  afterAll(async () => {
    await moduleRef.close();
    await keyspace.drop();
  });

  describe('partition batches', () => {
    it('writes the points of one bucket as one unlogged batch, idempotently', async () => {
      const repository = moduleRef.get(TimeSeriesRepository);
      const points = Array.from({ length: 120 }, (_, index) => ({
        ts: new Date(Date.parse('2025-08-04T13:30:00Z') + index * 60_000),
        price: `${200 + index}.50`,
        open: `${200 + index}.00`,
        high: `${201 + index}.00`,
        low: `${199 + index}.00`,
        volume: index,
      }));
      await repository.insertPartition('asset', 'BATCH', '2025-08', 'batch', points);
      await repository.insertPartition('asset', 'BATCH', '2025-08', 'batch', points);
      const [slice] = bucketSlices(new Date('2025-08-01T00:00:00Z'), new Date('2025-08-31T23:59:59.999Z'));
      if (slice === undefined) throw new Error('no slice');
      const page = await repository.readSlice('asset', 'BATCH', slice, { fetchSize: 500 });
      expect(page.points).toHaveLength(120);
      expect(page.points[7]).toMatchObject({
        price: '207.50',
        open: '207.00',
        high: '208.00',
        low: '206.00',
        volume: 7,
      });
    });

    it('refuses a batch that would cross partitions', async () => {
      await expect(
        moduleRef.get(TimeSeriesRepository).insertPartition('asset', 'BATCH', '2025-08', 's', [
          { ts: new Date('2025-08-31T23:59:00Z'), price: '1.00' },
          { ts: new Date('2025-09-01T00:00:00Z'), price: '1.00' },
        ]),
      ).rejects.toThrow(/not in bucket 2025-08/);
    });
  });

  describe('latest quote', () => {
    const quote = (iso: string, price: string, sourceId = 'a', extra: { open?: string } = {}) => ({
      ts: new Date(iso),
      price,
      volume: 10,
      sourceId,
      ...extra,
    });

    it('never goes backwards when older data arrives after newer', async () => {
      const quotes = moduleRef.get(QuoteRepository);
      await quotes.offerLatest('MONO', quote('2025-08-05T20:00:00Z', '105.00'));
      await quotes.offerLatest('MONO', quote('2025-08-01T13:30:00Z', '99.00')); // a backfill, later
      expect(await quotes.latest('MONO')).toMatchObject({ ts: new Date('2025-08-05T20:00:00Z'), price: '105.00' });
      await quotes.offerLatest('MONO', quote('2025-08-05T20:01:00Z', '106.00'));
      expect(await quotes.latest('MONO')).toMatchObject({ ts: new Date('2025-08-05T20:01:00Z'), price: '106.00' });
    });

    it('takes one whole quote when two sources quote the same millisecond, never a mix of both', async () => {
      const quotes = moduleRef.get(QuoteRepository);
      const [low, high] = ['yahoo', 'stooq'].sort((left, right) => sourceRank(left) - sourceRank(right));
      if (low === undefined || high === undefined) throw new Error('two sources expected');
      expect(sourceRank(low)).not.toBe(sourceRank(high));
      // The higher-ranked source writes first and has open; the lower one comes later without open.
      await quotes.offerLatest('TIE', quote('2025-08-05T20:00:00.000Z', '10.00', high, { open: '9.50' }));
      await quotes.offerLatest('TIE', quote('2025-08-05T20:00:00.000Z', '11.00', low));
      expect(await quotes.latest('TIE')).toMatchObject({ price: '10.00', open: '9.50', sourceId: high });
      // In the other arrival order the same quote wins, whole: the later write must not leave its fields behind.
      await quotes.offerLatest('TIE2', quote('2025-08-05T20:00:00.000Z', '11.00', low, { open: '7.00' }));
      await quotes.offerLatest('TIE2', quote('2025-08-05T20:00:00.000Z', '10.00', high));
      expect(await quotes.latest('TIE2')).toMatchObject({ price: '10.00', open: null, sourceId: high });
    });
  });

  describe('checkpoints', () => {
    const key = { sourceId: 'synthetic', kind: 'asset' as const, seriesId: 'CKPT' };

    it('is null before the first save and moves forward only', async () => {
      const state = moduleRef.get(IngestStateRepository);
      expect(await state.checkpoint(key)).toBeNull();
      await state.saveCheckpoint(key, new Date('2025-08-05T20:00:00Z'));
      await state.saveCheckpoint(key, new Date('2025-08-01T00:00:00Z')); // a late, older save
      expect(await state.checkpoint(key)).toEqual(new Date('2025-08-05T20:00:00Z'));
    });
  });

  describe('job leases', () => {
    it('lets one owner at a time hold a job, renew it and release it', async () => {
      const state = moduleRef.get(IngestStateRepository);
      expect(await state.takeLease('job-a', 'worker-1', 30)).toBe(true);
      expect(await state.takeLease('job-a', 'worker-2', 30)).toBe(false);
      expect(await state.renewLease('job-a', 'worker-1', 30)).toBe(true);
      expect(await state.renewLease('job-a', 'worker-2', 30)).toBe(false);
      await state.releaseLease('job-a', 'worker-2'); // not the owner: no effect
      expect(await state.takeLease('job-a', 'worker-2', 30)).toBe(false);
      await state.releaseLease('job-a', 'worker-1');
      expect(await state.takeLease('job-a', 'worker-2', 30)).toBe(true);
    });

    it('expires a lease whose owner stopped renewing it', async () => {
      const state = moduleRef.get(IngestStateRepository);
      expect(await state.takeLease('job-b', 'crashed', 1)).toBe(true);
      await sleep(1500);
      expect(await state.takeLease('job-b', 'worker-2', 30)).toBe(true);
    });

    it('gives a contested lease to exactly one of many racing workers', async () => {
      const state = moduleRef.get(IngestStateRepository);
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, index) => state.takeLease('job-c', `w${index}`, 30)),
      );
      // At most one wins; under heavy Paxos contention a round may have no winner at all.
      expect(results.filter(Boolean).length).toBeLessThanOrEqual(1);
      if (!results.some(Boolean)) expect(await state.takeLease('job-c', 'late', 30)).toBe(true);
      expect(await state.takeLease('job-c', 'another', 30)).toBe(false);
    });
  });
});
