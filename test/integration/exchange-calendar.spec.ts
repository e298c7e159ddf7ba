import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { type ExchangeCalendar, tradingSessionsBetween } from '@market/domain';

const ROOT = path.resolve(__dirname, '..', '..');
const PYTHON = path.join(ROOT, '.tools', 'exchange-calendars', 'bin', 'python');
const FIRST_DAY = '2000-01-01';
const LAST_DAY = '2035-12-31';

/** [date, open, close] per session, epoch ms, as Python's exchange_calendars states them. */
function referenceSessions(calendar: ExchangeCalendar): string[] {
  const run = spawnSync(
    PYTHON,
    [path.join(__dirname, '..', 'calendars', 'sessions.py'), calendar, FIRST_DAY, LAST_DAY],
    {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      timeout: 120_000,
    },
  );
  if (run.status !== 0) throw new Error(`exchange_calendars failed:\n${run.stderr}`);
  return run.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.stringify(JSON.parse(line)));
}

/**
 * Our US equity rules against the reference implementation every Python quant stack uses
 * (exchange_calendars, from PyPI), for every day of 2000–2035: the same sessions, each with
 * the same open and close instant.
 */
describe('exchange calendars against exchange_calendars', () => {
  beforeAll(() => {
    const install = spawnSync('bash', [path.join(ROOT, 'test', 'calendars', 'install-exchange-calendars.sh')], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 300_000,
    });
    if (install.status !== 0)
      throw new Error(`installing exchange_calendars failed:\n${install.stdout}${install.stderr}`);
  }, 320_000);

  it.each<ExchangeCalendar>(['XNYS', 'XNAS'])(
    '%s has the same sessions, opens and closes on every day 2000–2035',
    (calendar) => {
      const reference = referenceSessions(calendar);
      const ours = tradingSessionsBetween(
        calendar,
        Date.parse(`${FIRST_DAY}T00:00:00Z`),
        Date.parse(`${LAST_DAY}T23:59:59Z`),
      ).map((session) => JSON.stringify([session.date, session.openMs, session.closeMs]));
      expect(reference.length).toBeGreaterThan(9000);
      const [referenceSet, ourSet] = [new Set(reference), new Set(ours)];
      const missing = reference.filter((line) => !ourSet.has(line));
      const extra = ours.filter((line) => !referenceSet.has(line));
      expect({ missing, extra }).toEqual({ missing: [], extra: [] });
      expect(ours).toEqual(reference);
    },
    150_000,
  );
});
