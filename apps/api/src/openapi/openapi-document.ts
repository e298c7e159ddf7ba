import type { INestApplication } from '@nestjs/common';
import { API_KEY_SECURITY, BEARER_SECURITY } from '../auth/require-scopes.decorator';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/** The OpenAPI document, generated from the controllers and DTOs; operation ids are the method names. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('market-warehouse API')
    .setDescription(
      'Price history of stocks and commodities: catalog, cursor-paged range reads and latest quotes. ' +
        'Prices are exact decimals encoded as JSON strings; timestamps are ISO-8601 UTC with milliseconds. ' +
        'Errors are RFC 9457 problem details (application/problem+json).',
    )
    .setVersion('1')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: 'A JWT whose `scope` (or `scp`) claim grants the scopes an operation names',
      },
      BEARER_SECURITY,
    )
    .addApiKey(
      { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'An API key issued with `npm run auth:api-key`' },
      API_KEY_SECURITY,
    )
    .build();
  return SwaggerModule.createDocument(app, config, {
    operationIdFactory: (_controllerKey: string, methodKey: string) => methodKey,
  });
}

/** Serves Swagger UI at /docs and the document at /docs-json. */
export function serveOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), { jsonDocumentUrl: 'docs-json' });
}
