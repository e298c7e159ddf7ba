import type { CassandraSession } from '../cassandra.session';
import { StorageUnavailableError } from '../storage-errors';
import { PartitionChangeRepository } from './partition-change.repository';

/** A session whose execute answers with the given outcomes in turn (pure unit test: no Cassandra). */
function sessionAnswering(outcomes: readonly (Error | 'ok')[]) {
  const calls: { params: readonly unknown[]; options: unknown }[] = [];
  let next = 0;
  const session = {
    execute: (_statement: unknown, params: readonly unknown[], options: unknown) => {
      calls.push({ params, options });
      const outcome = outcomes[next] ?? 'ok';
      next += 1;
      return outcome === 'ok' ? Promise.resolve({ rows: [] }) : Promise.reject(outcome);
    },
  } as unknown as CassandraSession;
  return { session, calls };
}

const timedOut = () => new StorageUnavailableError('Server timeout during write query at consistency ONE');

describe('PartitionChangeRepository.recordChanges', () => {
  it('tries an increment again when an attempt meets an unavailable node, each attempt bounded in time', async () => {
    const { session, calls } = sessionAnswering([timedOut(), timedOut(), 'ok']);
    await new PartitionChangeRepository(session).recordChanges('asset', 'AAPL', ['2025-08']);
    expect(calls).toHaveLength(3);
    for (const call of calls) {
      expect(call.params).toEqual(['asset', 'AAPL', '2025-08']);
      expect(call.options).toEqual({ readTimeout: 2000 });
    }
  });

  it('gives up after three attempts with the storage error, so the caller does not advance its checkpoint', async () => {
    const { session, calls } = sessionAnswering([timedOut(), timedOut(), timedOut(), 'ok']);
    await expect(
      new PartitionChangeRepository(session).recordChanges('asset', 'AAPL', ['2025-08']),
    ).rejects.toBeInstanceOf(StorageUnavailableError);
    expect(calls).toHaveLength(3);
  });

  it('does not retry an error that is not the storage being unavailable', async () => {
    const { session, calls } = sessionAnswering([new TypeError('a bug')]);
    await expect(new PartitionChangeRepository(session).recordChanges('asset', 'AAPL', ['2025-08'])).rejects.toThrow(
      'a bug',
    );
    expect(calls).toHaveLength(1);
  });

  it('increments each month partition once, however many times it is named', async () => {
    const { session, calls } = sessionAnswering([]);
    await new PartitionChangeRepository(session).recordChanges('commodity', 'brent', ['2025-08', '2025-09', '2025-08']);
    expect(calls.map((call) => call.params[2])).toEqual(['2025-08', '2025-09']);
  });
});
