import { IngestMetrics } from './ingest-metrics';
import { MetricsRegistry } from '@market/observability';

describe('IngestMetrics', () => {
  let registry: MetricsRegistry;
  let metrics: IngestMetrics;

  beforeEach(() => {
    registry = new MetricsRegistry();
    metrics = new IngestMetrics(registry);
  });

  async function values(name: string) {
    return (await registry.getSingleMetric(name)?.get())?.values ?? [];
  }

  it('counts rows written per source and rejected per source and reason', async () => {
    metrics.rowsWritten('yahoo', 390);
    metrics.rowsWritten('yahoo', 10);
    metrics.rowsWritten('yahoo', -5);
    metrics.rowsRejected('yahoo', 'duplicate_ts', 2);
    metrics.rowsRejected('yahoo', 'future_ts');
    expect(await values('ingest_rows_written_total')).toEqual([{ labels: { source: 'yahoo' }, value: 400 }]);
    expect(await values('ingest_rows_rejected_total')).toEqual([
      { labels: { source: 'yahoo', reason: 'duplicate_ts' }, value: 2 },
      { labels: { source: 'yahoo', reason: 'future_ts' }, value: 1 },
    ]);
  });

  it('counts provider requests by outcome', async () => {
    metrics.providerRequest('binance', 'ok');
    metrics.providerRequest('binance', 'rate_limited');
    metrics.providerRequest('binance', 'ok');
    expect(await values('provider_requests_total')).toEqual([
      { labels: { provider: 'binance', outcome: 'ok' }, value: 2 },
      { labels: { provider: 'binance', outcome: 'rate_limited' }, value: 1 },
    ]);
  });

  it('records the last success of each job in Unix seconds, never moving it backwards', async () => {
    metrics.jobSucceeded('aapl-synthetic', new Date('2025-08-01T00:01:00Z'));
    metrics.jobSucceeded('aapl-synthetic', new Date('2025-08-01T00:00:00Z'));
    metrics.jobSucceeded('brent-synthetic', new Date('2025-08-01T00:00:30.500Z'));
    expect(await values('ingest_last_success_timestamp_seconds')).toEqual([
      { labels: { job_id: 'aapl-synthetic' }, value: Date.parse('2025-08-01T00:01:00Z') / 1000 },
      { labels: { job_id: 'brent-synthetic' }, value: Date.parse('2025-08-01T00:00:30.500Z') / 1000 },
    ]);
  });

  it('counts finished job runs by outcome', async () => {
    metrics.jobFinished('aapl-synthetic', 'ran');
    metrics.jobFinished('aapl-synthetic', 'failed');
    expect(await values('ingest_job_runs_total')).toEqual([
      { labels: { job_id: 'aapl-synthetic', outcome: 'ran' }, value: 1 },
      { labels: { job_id: 'aapl-synthetic', outcome: 'failed' }, value: 1 },
    ]);
  });
});
