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
        'getLatestQuote',
      ]),
    );
    for (const operation of operations.filter((candidate) => candidate.route.startsWith('/api/v1/'))) {
      expect(operation.responses['503']?.content).toHaveProperty(['application/problem+json']);
    }
  });
});
