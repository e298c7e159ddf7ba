import { z } from 'zod';

/**
 * Builders for environment variables: each parses the raw string and states its allowed
 * values in the message, so a bad value names what would have been accepted.
 */

export function stringVar(fallback: string, pattern?: { regex: RegExp; description: string }) {
  const base = z.string({ error: 'must be set' });
  const checked = pattern === undefined ? base : base.regex(pattern.regex, { error: `must be ${pattern.description}` });
  return checked.default(fallback);
}

export function integerVar(fallback: number, min: number, max: number) {
  const message = `must be an integer between ${min} and ${max}`;
  return z
    .string()
    .regex(/^-?\d+$/, { error: message })
    .transform(Number)
    .pipe(z.number().int().min(min, { error: message }).max(max, { error: message }))
    .default(fallback);
}

export function portVar(fallback: number) {
  return integerVar(fallback, 1, 65535);
}

export function enumVar<const Values extends readonly [string, ...string[]]>(values: Values, fallback: Values[number]) {
  return z.enum(values, { error: `must be one of ${values.join(', ')}` }).default(fallback);
}

export function booleanVar(fallback: boolean) {
  return z
    .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
    .transform((value) => value === 'true' || value === '1')
    .default(fallback);
}
