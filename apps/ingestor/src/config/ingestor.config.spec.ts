import { InvalidConfigError } from '@market/config';
import { loadIngestorAuthConfig, loadIngestorConfig } from './ingestor.config';

describe('loadIngestorConfig', () => {
  it('listens on loopback port 8001 unless INGESTOR_HOST and INGESTOR_PORT say otherwise', () => {
    expect(loadIngestorConfig({}).http).toEqual({ host: '127.0.0.1', port: 8001 });
    expect(loadIngestorConfig({ INGESTOR_HOST: '0.0.0.0', INGESTOR_PORT: '9101' }).http).toEqual({
      host: '0.0.0.0',
      port: 9101,
    });
  });

  it('heals a week back with 3 attempts by default, and names a bad HEAL_ variable', () => {
    expect(loadIngestorConfig({}).heal).toEqual({ lookbackDays: 7, maxAttempts: 3, backoffMs: 1000 });
    expect(loadIngestorConfig({ HEAL_LOOKBACK_DAYS: '0' }).heal.lookbackDays).toBe(0);
    expect(() => loadIngestorConfig({ HEAL_MAX_ATTEMPTS: '0' })).toThrow(/HEAL_MAX_ATTEMPTS/);
    expect(() => loadIngestorConfig({ HEAL_LOOKBACK_DAYS: 'week' })).toThrow(/HEAL_LOOKBACK_DAYS/);
  });

  it("asks for the API's credentials settings in the worker only: the commands' config needs none", () => {
    expect(() => loadIngestorConfig({})).not.toThrow();
    expect(() => loadIngestorAuthConfig({})).toThrow(InvalidConfigError);
    expect(loadIngestorAuthConfig({ AUTH_ENABLED: 'false' }).openEndpoints).toEqual(new Set(['health', 'docs']));
  });
});
