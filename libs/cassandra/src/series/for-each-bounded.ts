/**
 * Runs `work` over `items` with at most `limit` calls in flight: the write path's
 * backpressure. (A dozen lines, so no dependency; p-limit is ESM-only and would need Jest
 * transforms for nothing more than this.) The first failure rejects the whole run after
 * the calls in flight have settled, and no new call starts once one has failed.
 */
export async function forEachBounded<T>(
  items: Iterable<T>,
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  const iterator = items[Symbol.iterator]();
  let failure: { error: unknown } | null = null;
  const worker = async (): Promise<void> => {
    for (let next = iterator.next(); !next.done && failure === null; next = iterator.next()) {
      try {
        await work(next.value);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, limit) }, worker));
  if (failure !== null) throw (failure as { error: unknown }).error;
}
