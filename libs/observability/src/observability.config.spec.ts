import { InvalidConfigError, parseEnv } from '@market/config';
import { observabilityConfigFromEnv, observabilityEnvSchema } from './observability.config';

describe('observability configuration', () => {
  it('logs at info unless LOG_LEVEL says otherwise', () => {
    expect(observabilityConfigFromEnv(parseEnv(observabilityEnvSchema, {}))).toEqual({ logLevel: 'info' });
    expect(observabilityConfigFromEnv(parseEnv(observabilityEnvSchema, { LOG_LEVEL: 'debug' }))).toEqual({
      logLevel: 'debug',
    });
  });

  it('rejects an unknown level, naming the variable and the allowed values', () => {
    expect(() => parseEnv(observabilityEnvSchema, { LOG_LEVEL: 'verbose' })).toThrow(InvalidConfigError);
    expect(() => parseEnv(observabilityEnvSchema, { LOG_LEVEL: 'verbose' })).toThrow(
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "verbose")',
    );
  });
});
