import type { App } from 'supertest/types';
import request from 'supertest';

/**
 * GETs a file download as raw bytes and expects 200. The OpenAPI contract check reads bodies
 * as text, so file downloads skip it; their types are checked by the caller.
 */
export async function downloadBytes(
  server: App,
  route: string,
  query: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<{ body: Buffer; headers: Record<string, string> }> {
  const response = await request(server)
    .get(route)
    .query(query)
    .set(headers)
    .buffer(true)
    .parse((res, callback) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => callback(null, Buffer.concat(chunks)));
    });
  expect(response.status).toBe(200);
  return { body: response.body as Buffer, headers: response.headers };
}
