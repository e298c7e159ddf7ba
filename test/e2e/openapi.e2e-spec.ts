import fs from 'node:fs';
import { buildOpenApiDocument } from '../../apps/api/src/openapi/openapi-document';
import { OPENAPI_FILE } from '../support/openapi-contract';
import { type RunningApi, startApi } from '../support/api-app';

/**
 * The OpenAPI document is generated from the code and committed, so every API change shows
 * up in review. `npm run openapi:update` rewrites the committed file.
 */
describe('the OpenAPI document', () => {
  let api: RunningApi;

  beforeAll(async () => {
    api = await startApi('e2e_openapi');
  });

  afterAll(async () => {
    await api.close();
  });

  it('committed in apps/api/openapi.json matches what the code generates', () => {
    const generated = `${JSON.stringify(buildOpenApiDocument(api.app), null, 2)}\n`;
    if (process.env.UPDATE_OPENAPI === '1') fs.writeFileSync(OPENAPI_FILE, generated);
    expect(JSON.parse(fs.readFileSync(OPENAPI_FILE, 'utf8'))).toEqual(JSON.parse(generated));
  });

  it('is served at /docs-json, with Swagger UI at /docs', async () => {
    const served = await api.http.get('/docs-json').expect(200);
    expect(served.body).toEqual(JSON.parse(fs.readFileSync(OPENAPI_FILE, 'utf8')));
    const ui = await api.http.get('/docs').expect(200);
    expect(ui.text).toContain('swagger-ui');
  });

  it('names every operation after its controller method and documents its errors as problem+json', () => {
    const document = buildOpenApiDocument(api.app);
    const operations = Object.entries(document.paths).flatMap(([route, methods]) =>
      Object.values(
        methods as Record<string, { operationId: string; responses: Record<string, { content?: object }> }>,
      ).map((spec) => ({ route, ...spec })),
    );
    const ids = operations.map((operation) => operation.operationId);
    expect(ids).toEqual(
      expect.arrayContaining([
        'listAssets',
        'getAsset',
        'listCommodities',
        'getCommodity',
        'listSources',
        'getAssetRange',
        'getCommodityRange',
        'getBars',
        'getLatestQuote',
      ]),
    );
    for (const operation of operations.filter((candidate) => candidate.route.startsWith('/api/v1/'))) {
      expect(operation.responses['503']?.content).toHaveProperty(['application/problem+json']);
    }
  });

  it('gives every parameter of the range routes and of /bars an example', () => {
    const document = buildOpenApiDocument(api.app);
    const routes = ['/api/v1/data/{asset_id}', '/api/v1/commodities/{commodity_id}/data', '/api/v1/bars'];
    for (const route of routes) {
      const parameters = (document.paths[route]?.get?.parameters ?? []) as Array<{
        name: string;
        example?: unknown;
        schema?: { example?: unknown };
      }>;
      expect(parameters.length).toBeGreaterThan(0);
      const without = parameters.filter((parameter) => (parameter.example ?? parameter.schema?.example) === undefined);
      expect(without.map(({ name }) => name)).toEqual([]);
    }
  });

  it('gives every error status its own example, with the type and title the API answers', async () => {
    const document = buildOpenApiDocument(api.app);
    const examples = new Map<string, unknown>();
    for (const methods of Object.values(document.paths)) {
      for (const operation of Object.values(
        methods as Record<string, { responses: Record<string, DocumentedResponse> }>,
      )) {
        // Health's 503 keeps terminus' own body (which check failed), not a problem.
        for (const [status, response] of Object.entries(operation.responses)) {
          const problem = response.content?.['application/problem+json'];
          if (problem === undefined) continue;
          const example = problem.example;
          expect(example).toMatchObject({ status: Number(status) });
          examples.set(status, example);
        }
      }
    }
    expect([...examples.keys()].sort()).toEqual(['400', '401', '403', '404', '406', '414', '429', '503']);
    const live: Array<[string, string]> = [
      ['400', '/api/v1/data/AAPL?from=2025-08-01&limit=5001'],
      ['404', '/api/v1/assets/NOPE'],
      ['414', `/api/v1/assets/${'A'.repeat(5000)}`],
    ];
    const notAcceptable = await api.http
      .get('/api/v1/data/AAPL?from=2025-08-01')
      .set('Accept', 'image/png')
      .expect(406);
    expect(JSON.parse(notAcceptable.text)).toMatchObject(pick(examples.get('406') as { type: string; title: string }));
    for (const [status, url] of live) {
      const answered = JSON.parse((await api.http.get(url).expect(Number(status))).text) as object;
      const { type, title } = examples.get(status) as { type: string; title: string };
      expect(answered).toMatchObject({ type, title });
    }
  });

  it('documents limit and offset as integers', () => {
    const document = buildOpenApiDocument(api.app);
    const parameters = Object.values(document.paths).flatMap((methods) =>
      Object.values(
        methods as Record<string, { parameters?: Array<{ name: string; schema: { type: string } }> }>,
      ).flatMap((operation) => operation.parameters ?? []),
    );
    const paging = parameters.filter((parameter) => parameter.name === 'limit' || parameter.name === 'offset');
    expect(paging.length).toBeGreaterThanOrEqual(5);
    for (const parameter of paging) expect(parameter.schema.type).toBe('integer');
  });
});

function pick({ type, title }: { type: string; title: string }): { type: string; title: string } {
  return { type, title };
}

interface DocumentedResponse {
  content?: Record<string, { example?: unknown }>;
}
