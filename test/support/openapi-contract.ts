import fs from 'node:fs';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { Response } from 'supertest';

export const OPENAPI_FILE = path.resolve(__dirname, '..', '..', 'apps', 'api', 'openapi.json');

interface OpenApiDocument {
  paths: Record<string, Record<string, { operationId: string; responses: Record<string, ResponseSpec> }>>;
  components: { schemas: Record<string, unknown> };
}
interface ResponseSpec {
  content?: Record<string, { schema: unknown }>;
}

const document = JSON.parse(fs.readFileSync(OPENAPI_FILE, 'utf8')) as OpenApiDocument;
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addFormat('decimal', /^-?\d+(\.\d+)?$/);
ajv.addSchema({ components: document.components }, 'openapi');
const cache = new Map<string, ValidateFunction>();

/** Rewrites `#/components/…` references so ajv resolves them inside the registered document. */
function rebase(schema: unknown): unknown {
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"openapi#/components/')) as unknown;
}

const routes = Object.entries(document.paths).map(([template, methods]) => ({
  pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
  methods,
}));

/** The documented operation a request reached, or null for a route the API does not document. */
function operationOf(method: string, path: string) {
  const route = routes.find((candidate) => candidate.pattern.test(path));
  return route?.methods[method.toLowerCase()] ?? null;
}

/**
 * Asserts that a response matches what the committed OpenAPI document promises for its
 * operation and status: the status is documented, the content type is the documented one
 * and the body validates against the schema. Responses of undocumented routes (an unknown
 * path answering 404) have nothing to match and pass.
 */
export function expectContract(response: Response): void {
  const request = (response as Response & { req: { method: string; path: string } }).req;
  const found = operationOf(request.method, request.path.split('?')[0] ?? '');
  if (found === null) return;
  const operationId = found.operationId;
  const spec = found.responses[String(response.status)];
  if (spec === undefined) throw new Error(`${operationId} does not document status ${response.status}`);
  const mediaType = String(response.headers['content-type'] ?? '').split(';')[0] ?? '';
  const content = spec.content?.[mediaType];
  if (content === undefined) {
    throw new Error(`${operationId} ${response.status} does not document content type ${mediaType}`);
  }
  const key = `${operationId} ${response.status} ${mediaType}`;
  let validate = cache.get(key);
  if (validate === undefined) {
    validate = ajv.compile(rebase(content.schema) as object);
    cache.set(key, validate);
  }
  const body: unknown = mediaType === 'application/problem+json' ? JSON.parse(response.text) : response.body;
  if (!validate(body)) {
    throw new Error(
      `${key}: body breaks the schema: ${ajv.errorsText(validate.errors)}\n${response.text.slice(0, 500)}`,
    );
  }
}
