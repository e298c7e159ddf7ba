import type { MetricValue } from 'prom-client';
import { CassandraMetrics } from './cassandra-metrics';
import { MetricsRegistry } from './metrics.registry';

describe('CassandraMetrics', () => {
  let registry: MetricsRegistry;
  let metrics: CassandraMetrics;

  beforeEach(() => {
    registry = new MetricsRegistry();
    metrics = new CassandraMetrics(registry);
  });

  async function values(name: string) {
    return ((await registry.getSingleMetric(name)?.get())?.values ?? []) as Array<
      MetricValue<string> & { metricName?: string }
    >;
  }

  it('observes latency by statement name and kind', async () => {
    metrics.observe('asset_timeseries.select_slice', 'read', 0.004);
    metrics.observe('asset_timeseries.select_slice', 'read', 0.2);
    metrics.observe('asset_timeseries.insert', 'write', 0.002);
    const counts = (await values('cassandra_request_duration_seconds')).filter(
      ({ metricName }) => metricName === 'cassandra_request_duration_seconds_count',
    );
    expect(counts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ labels: { statement: 'asset_timeseries.select_slice', kind: 'read' }, value: 2 }),
        expect.objectContaining({ labels: { statement: 'asset_timeseries.insert', kind: 'write' }, value: 1 }),
      ]),
    );
  });

  it('counts errors by statement, kind and error class, collapsing anything that is no class name', async () => {
    metrics.error('quote.upsert', 'write', 'NoHostAvailableError');
    metrics.error('quote.upsert', 'write', 'NoHostAvailableError');
    metrics.error('quote.upsert', 'write', 'weird error: "with" text');
    expect(await values('cassandra_request_errors_total')).toEqual(
      expect.arrayContaining([
        { labels: { statement: 'quote.upsert', kind: 'write', error: 'NoHostAvailableError' }, value: 2 },
        { labels: { statement: 'quote.upsert', kind: 'write', error: 'Error' }, value: 1 },
      ]),
    );
  });

  it('reads the hosts up and known from the session at scrape time', async () => {
    let up = 3;
    metrics.watchHosts(() => ({ up, known: 3 }));
    expect(await registry.metrics()).toMatch(/^cassandra_hosts_up 3$/m);
    up = 2;
    const text = await registry.metrics();
    expect(text).toMatch(/^cassandra_hosts_up 2$/m);
    expect(text).toMatch(/^cassandra_hosts_known 3$/m);
  });

  it('keeps the last host counts when the callback throws, so a scrape never fails', async () => {
    let failing = false;
    metrics.watchHosts(() => {
      if (failing) throw new Error('client is shut down');
      return { up: 1, known: 1 };
    });
    await registry.metrics();
    failing = true;
    expect(await registry.metrics()).toMatch(/^cassandra_hosts_up 1$/m);
  });

  it('reads the number of distinct schema versions at scrape time and keeps it through a failed read', async () => {
    let versions: number | Error = 1;
    metrics.watchSchemaVersions(() =>
      versions instanceof Error ? Promise.reject(versions) : Promise.resolve(versions),
    );
    expect(await registry.metrics()).toMatch(/^cassandra_schema_versions 1$/m);
    versions = 2;
    expect(await registry.metrics()).toMatch(/^cassandra_schema_versions 2$/m);
    versions = new Error('client is shut down');
    expect(await registry.metrics()).toMatch(/^cassandra_schema_versions 2$/m);
    versions = 0;
    expect(await registry.metrics()).toMatch(/^cassandra_schema_versions 2$/m);
  });
});
