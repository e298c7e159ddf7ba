import { setTimeout as sleep } from 'node:timers/promises';
import { startNode, stopNode } from '../../scripts/cassandra/node-process';
import { singleNodeSpec } from '../../scripts/cassandra/node-spec';
import { type RunningApi, startApi } from '../support/api-app';
import { adminClient } from '../support/test-keyspace';

/**
 * The API on a Cassandra node of its own (instance `fault`, port 29042) that this suite
 * stops and starts again, so the node every other suite shares is never disturbed.
 */
const node = singleNodeSpec('fault');
const log = (line: string) => process.stdout.write(`[fault-node] ${line}\n`);

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await check()) return Date.now() - started;
    await sleep(250);
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}

describe('readiness and errors when Cassandra stops and comes back', () => {
  let api: RunningApi;

  beforeAll(async () => {
    await startNode(node, log);
    api = await startApi('e2e_fault', {
      CASSANDRA_CONTACT_POINTS: `${node.address}:${node.nativePort}`,
      HEALTH_CHECK_TIMEOUT_MS: '1000',
      REQUEST_TIMEOUT_MS: '3000',
    });
    // Only the API's own client lives through the restart. A driver Client that does can
    // keep a host from before it, with timers its shutdown() never reaches (jest.config.js).
    await api.keyspace.admin.shutdown();
  }, 300_000);

  afterAll(async () => {
    await startNode(node, log);
    await api.app.close();
    const admin = await adminClient(api.keyspace.config);
    try {
      await admin.execute(`DROP KEYSPACE IF EXISTS ${api.keyspace.config.keyspace}`);
    } finally {
      await admin.shutdown();
    }
    await stopNode(node);
  }, 300_000);

  it('answers ready, then 503 within the timeouts while the node is down, then ready again once it is back', async () => {
    await api.http.get('/health/ready').expect(200);
    await api.http.get('/api/v1/assets').expect(200);

    await stopNode(node);
    const started = Date.now();
    const ready = await api.http.get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ status: 'error', error: { cassandra: { status: 'down' } } });
    expect(Date.now() - started).toBeLessThan(1000 + 1500);

    const readStarted = Date.now();
    const read = await api.http.get('/api/v1/data/AAPL?from=2025-08-01');
    expect(read.status).toBe(503);
    expect(read.headers['retry-after']).toEqual(expect.any(String));
    expect(Date.now() - readStarted).toBeLessThan(3000 + 1500);

    await startNode(node, log);
    const recoveredIn = await until(async () => (await api.http.get('/health/ready')).status === 200, 90_000);
    log(`API ready again ${recoveredIn} ms after the node answered CQL`);
    await api.http.get('/api/v1/assets').expect(200);
  }, 300_000);
});
