import { parse as parseCsv } from 'csv-parse/sync';
import type { z } from 'zod';
import { ProviderPayloadError, type ProviderErrorScope, bodyExcerpt } from './provider-errors';

/**
 * First steps of reading a provider's body, shared by the adapters: each turns a body that
 * is not what the provider documents into one ProviderPayloadError quoting what came back.
 */

/** The body as JSON. */
export function readJsonBody(body: string, scope: ProviderErrorScope): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw new ProviderPayloadError(scope, `response is not JSON: ${bodyExcerpt(body) || '(empty body)'}`);
  }
}

/** The body as JSON, or undefined when it is not JSON (an error page of some proxy). */
export function tryJsonBody(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

/** A value checked against the schema of the provider's documented format. */
export function readWithSchema<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  scope: ProviderErrorScope,
  what: string,
): z.output<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue === undefined || issue.path.length === 0 ? '' : ` at ${issue.path.join('.')}`;
  throw new ProviderPayloadError(scope, `unexpected ${what}${where}: ${issue?.message ?? 'invalid'}`);
}

/** The body as CSV records (header included), every record as wide as the first. */
export function readCsvBody(body: string, scope: ProviderErrorScope): string[][] {
  // Error and maintenance pages come as HTML with status 200 more often than one would hope.
  if (body.trimStart().startsWith('<')) {
    throw new ProviderPayloadError(scope, `response is an HTML page, not CSV: ${bodyExcerpt(body)}`);
  }
  try {
    return parseCsv(body, { bom: true, skip_empty_lines: true, trim: true });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ProviderPayloadError(scope, `response is not readable CSV: ${reason}`);
  }
}
