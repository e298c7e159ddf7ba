import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { QuoteRepository } from '@market/cassandra';
import { type RunningApi, startApi } from '../support/api-app';
import { writeApiKeysFile } from '../support/api-keys-file';
import { seedSeries, sessionMinutes } from '../support/seed';

const ROOT = path.resolve(__dirname, '..', '..');
const SCHEMATHESIS = path.join(ROOT, '.tools', 'schemathesis', 'bin', 'st');
const MIN_REQUESTS = 1000;

/** One run's outcome as schemathesis' JUnit report states it. */
interface FuzzReport {
  readonly testCases: number;
  readonly failures: string[];
}

/** The <testcase> entries of schemathesis' JUnit report and the text of each failure. */
function readJunit(file: string): FuzzReport {
  const xml = readFileSync(file, 'utf8');
  const testCases = (xml.match(/<testcase\b/g) ?? []).length;
  const failures = [...xml.matchAll(/<(failure|error)\b[^>]*?(?:message="([^"]*)")?[^>]*>([\s\S]*?)<\/\1>/g)].map(
    ([, kind, message, body]) => `${kind}: ${message ?? ''}\n${body ?? ''}`.slice(0, 2000),
  );
  return { testCases, failures };
}

/**
 * schemathesis (from PyPI) generates requests from the API's own OpenAPI document, valid
 * and hostile, with credentials, against the real app on real Cassandra: no response may
 * be a server error or break its documented schema, status, content type or headers.
 */
describe('OpenAPI fuzzing with schemathesis', () => {
  let api: RunningApi;
  let requests = 0;
  const clients = writeApiKeysFile({ fuzzer: ['read:data', 'read:assets'] });

  beforeAll(async () => {
    const install = spawnSync('bash', [path.join(ROOT, 'test', 'fuzz', 'install-schemathesis.sh')], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 300_000,
    });
    if (install.status !== 0) throw new Error(`installing schemathesis failed:\n${install.stdout}${install.stderr}`);
    api = await startApi('e2e_fuzz', { AUTH_ENABLED: 'true', AUTH_API_KEYS_FILE: clients.file });
    api.app.getHttpServer().on('request', () => {
      requests += 1;
    });
    const bars = sessionMinutes(['2025-08-01', '2025-08-04'], (index) => `${180 + index / 100}`);
    await seedSeries(api.app, 'asset', 'AAPL', bars);
    await seedSeries(api.app, 'commodity', 'brent', bars.slice(0, 100), { unit: 'USD/bbl', interval: '1m' });
    const last = bars.at(-1);
    if (last !== undefined) await api.app.get(QuoteRepository).offerLatest('AAPL', last);
  }, 360_000);

  afterAll(async () => {
    await api?.close();
  });

  it(`sends at least ${MIN_REQUESTS} generated requests with zero server errors and zero schema violations`, async () => {
    const { port } = api.app.getHttpServer().address() as AddressInfo;
    const base = `http://127.0.0.1:${port}`;
    const junit = path.join(mkdtempSync(path.join(tmpdir(), 'market-fuzz-')), 'junit.xml');
    const run = await promisify(execFile)(
      SCHEMATHESIS,
      [
        '--config-file',
        path.join(ROOT, 'test', 'fuzz', 'schemathesis.toml'),
        'run',
        `${base}/docs-json`,
        '--url',
        base,
        '--header',
        `X-API-Key: ${clients.keys.fuzzer}`,
        '--max-examples',
        '120',
        '--seed',
        '20261124',
        '--workers',
        '4',
        '--generation-database',
        'none',
        '--report',
        'junit',
        '--report-junit-path',
        junit,
        '--no-color',
      ],
      { cwd: ROOT, timeout: 600_000, maxBuffer: 64 * 1024 * 1024 },
    ).catch((error: { stdout?: string; stderr?: string; code?: number }) => error);
    const report = readJunit(junit);
    const summary = `${run.stdout ?? ''}`.split('\n').slice(-40).join('\n');
    console.log(`schemathesis: ${requests} requests, ${report.testCases} operations/phases\n${summary}`);
    expect(report.failures).toEqual([]);
    expect('code' in run ? run.code : 0).toBe(0);
    expect(requests).toBeGreaterThanOrEqual(MIN_REQUESTS);
  }, 900_000);
});
