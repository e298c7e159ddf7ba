import { loadApiConfig } from './api.config';

const LOCAL = { AUTH_ENABLED: 'false' };

describe('API configuration: rate limits', () => {
  it('limits failed authentications to 30 per address and minute by default, 0 turning it off', () => {
    expect(loadApiConfig(LOCAL).authFailuresPerMinute).toBe(30);
    expect(loadApiConfig({ ...LOCAL, RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '0' }).authFailuresPerMinute).toBe(0);
  });

  it.each(['-1', 'ten', '1.5'])('refuses RATE_LIMIT_AUTH_FAILURES_PER_MINUTE=%s, naming it', (value) => {
    expect(() => loadApiConfig({ ...LOCAL, RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: value })).toThrow(
      /RATE_LIMIT_AUTH_FAILURES_PER_MINUTE must be an integer between 0 and 1000000/,
    );
  });
});
