import type { z } from 'zod';

/** Thrown at start-up when an environment variable has a bad value. */
export class InvalidConfigError extends Error {
  override readonly name = 'InvalidConfigError';

  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

/** Variables whose values never appear in an error message: it may end up in a log. */
const SECRET_NAME = /SECRET|PASSWORD|TOKEN(?!_TTL)|API_KEY(?!S_FILE)/;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Validates the environment against a schema and returns the typed result, or throws one
 * error that lists every bad variable by name with the value it had.
 * Empty strings count as unset, so `FOO=` in a compose file falls back to the default.
 */
export function parseEnv<Schema extends z.ZodType>(schema: Schema, env: Env): z.output<Schema> {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = schema.safeParse(present);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = typeof issue.path[0] === 'string' ? issue.path[0] : '(environment)';
    const raw = present[name];
    const shown = raw === undefined ? '' : SECRET_NAME.test(name) ? ' (value hidden)' : ` (got "${raw}")`;
    return `${name} ${issue.message}${shown}`;
  });
  throw new InvalidConfigError(problems);
}
