import fs from 'node:fs';
import path from 'node:path';
import { Test } from '@nestjs/testing';
import { MetricsRegistry, ObservabilityModule } from '@market/observability';
import { HealMetrics } from './heal/heal-metrics';
import { IngestMetrics } from './ingest/ingest-metrics';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const DASHBOARD_FILE = path.join(ROOT, 'docker', 'grafana', 'dashboards', 'market-warehouse.json');
const ALERTS_FILE = path.join(ROOT, 'docker', 'prometheus', 'alerts.yml');
const RUNBOOK_FILE = path.join(ROOT, 'docs', 'runbook.md');

/** Series Prometheus makes itself for every target; the apps cannot export them. */
const PROMETHEUS_SERIES = new Set(['up']);

/** Words of PromQL that look like metric names: binary operators and modifiers. */
const PROMQL_KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'atan2', 'inf', 'nan']);

/**
 * The metric names a PromQL expression selects. Good enough for expressions in our files:
 * strings, label matchers, ranges, label lists (`by (…)`, `on (…)`), Grafana variables and
 * numbers are removed; of the identifiers left, those before `(` are functions.
 */
function selectedMetricNames(expression: string): string[] {
  const stripped = expression
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\$\{?\w+\}?/g, ' ')
    .replace(/\b\d+(?:\.\d+)?(?:e[+-]?\d+)?\b/gi, ' ');
  const names: string[] = [];
  for (const match of stripped.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const following = stripped.slice(match.index + match[0].length).trimStart();
    if (following.startsWith('(') || PROMQL_KEYWORDS.has(match[0])) continue;
    names.push(match[0]);
  }
  return names;
}

interface DashboardPanel {
  readonly title?: string;
  readonly type?: string;
  readonly targets?: ReadonlyArray<{ readonly expr?: string }>;
  readonly panels?: readonly DashboardPanel[];
}

function dashboardPanels(): DashboardPanel[] {
  const dashboard = JSON.parse(fs.readFileSync(DASHBOARD_FILE, 'utf8')) as { panels: DashboardPanel[] };
  return dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
}

/**
 * The `expr` of every alert rule. The rules file keeps each expression on one line (its
 * header says so) and this test holds it to that, so no YAML parser is needed here.
 */
function alertRules(): Array<{ alert: string; expr: string; runbook: string }> {
  const text = fs.readFileSync(ALERTS_FILE, 'utf8');
  const field = (name: string): string[] =>
    [...text.matchAll(new RegExp(`^\\s+${name}:\\s*(.*)$`, 'gm'))].map((match) => (match[1] ?? '').trim());
  const [alerts, expressions, runbooks] = [field('- alert'), field('expr'), field('runbook')];
  if (expressions.length !== alerts.length || runbooks.length !== alerts.length) {
    throw new Error(`${ALERTS_FILE}: every alert needs one single-line expr and a runbook annotation`);
  }
  return alerts.map((alert, index) => ({ alert, expr: expressions[index] ?? '', runbook: runbooks[index] ?? '' }));
}

/** GitHub's anchor for a Markdown heading. */
function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\w\s-]/g, '')
    .replace(/\s/g, '-');
}

/**
 * The series names a registry exports, as the apps build it: ObservabilityModule's families
 * (HTTP, Cassandra, process), which both apps serve, plus the providers an app adds.
 */
async function exportedNames(appProviders: Array<typeof IngestMetrics | typeof HealMetrics>): Promise<Set<string>> {
  const moduleRef = await Test.createTestingModule({
    imports: [ObservabilityModule.forRoot({ logLevel: 'silent', service: 'test' })],
    providers: appProviders,
  }).compile();
  for (const provider of appProviders) moduleRef.get(provider);
  const metrics = await moduleRef.get(MetricsRegistry).getMetricsAsJSON();
  await moduleRef.close();
  // A histogram is queried through its series: _bucket, _sum and _count.
  return new Set(
    metrics.flatMap(({ name, type }) =>
      String(type) === 'histogram' || String(type) === 'summary'
        ? [name, `${name}_bucket`, `${name}_sum`, `${name}_count`]
        : [name],
    ),
  );
}

describe('the metric names docker/ relies on', () => {
  /** Every name either app exports: the API serves ObservabilityModule's, the ingestor those and its own. */
  let exported: Set<string>;
  let common: Set<string>;

  beforeAll(async () => {
    common = await exportedNames([]);
    exported = await exportedNames([IngestMetrics, HealMetrics]);
  });

  it('leaves the ingest families to the ingestor: the shared module (all the API serves) has none', () => {
    expect([...common].filter((name) => /^(ingest_|provider_)/.test(name))).toEqual([]);
    for (const name of ['ingest_rows_written_total', 'provider_requests_total', 'ingest_job_runs_total']) {
      expect(exported).toContain(name);
    }
  });

  it('finds metric names in PromQL, not functions, labels, ranges or keywords', () => {
    expect(
      selectedMetricNames(
        'histogram_quantile(0.99, sum by (le, route) (rate(http_request_duration_seconds_bucket{job="api", route!~"/health.*"}[$__rate_interval]))) > 1e3',
      ),
    ).toEqual(['http_request_duration_seconds_bucket']);
    expect(selectedMetricNames('(up{job="x"} == 1) unless on () a_metric')).toEqual(['up', 'a_metric']);
    expect(selectedMetricNames('time() - max by (job_id) (last_seconds) and bool other')).toEqual([
      'last_seconds',
      'other',
    ]);
  });

  it('the Grafana dashboard queries only metrics the apps export', () => {
    const panels = dashboardPanels().filter(({ type }) => type !== 'row');
    expect(panels.length).toBeGreaterThanOrEqual(8);
    const referenced = new Set<string>();
    for (const panel of panels) {
      const expressions = (panel.targets ?? []).map(({ expr }) => expr ?? '');
      expect({ panel: panel.title, hasQueries: expressions.length > 0 }).toEqual({
        panel: panel.title,
        hasQueries: true,
      });
      for (const expression of expressions) {
        for (const name of selectedMetricNames(expression)) referenced.add(name);
      }
    }
    expect([...referenced].filter((name) => !exported.has(name))).toEqual([]);
    // The panels the operations issue asks for are there.
    for (const name of [
      'http_request_duration_seconds_bucket',
      'ingest_rows_written_total',
      'ingest_rows_rejected_total',
      'ingest_last_success_timestamp_seconds',
      'provider_requests_total',
      'cassandra_hosts_up',
      'cassandra_request_duration_seconds_bucket',
      'cassandra_request_errors_total',
    ]) {
      expect(referenced).toContain(name);
    }
  });

  it('the alert rules query only metrics the apps export, and each has a runbook section', () => {
    const rules = alertRules();
    expect(rules.map(({ alert }) => alert)).toEqual(
      expect.arrayContaining([
        'IngestStale',
        'ApiHighErrorRate',
        'ApiHighLatencyP99',
        'CassandraHostDown',
        'CassandraSchemaDisagreement',
      ]),
    );
    const referenced = new Set(rules.flatMap(({ expr }) => selectedMetricNames(expr)));
    expect([...referenced].filter((name) => !exported.has(name) && !PROMETHEUS_SERIES.has(name))).toEqual([]);

    const anchors = new Set(
      [...fs.readFileSync(RUNBOOK_FILE, 'utf8').matchAll(/^#{1,6}\s+(.+)$/gm)].map((match) =>
        headingAnchor(match[1] ?? ''),
      ),
    );
    for (const { alert, runbook } of rules) {
      expect({ alert, runbook }).toEqual({ alert, runbook: `docs/runbook.md#${alert.toLowerCase()}` });
      expect({ alert, documented: anchors.has(alert.toLowerCase()) }).toEqual({ alert, documented: true });
    }
  });
});
