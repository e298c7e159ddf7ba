import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { NotFoundException } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import { ConsoleBundle } from './console-bundle';
import { acceptsGzip, ConsoleController } from './console.controller';

describe('ConsoleBundle', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'console-bundle-'));
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('holds the built files with their type, a strong ETag, and a year of cache for hashed names only', () => {
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html>');
    writeFileSync(path.join(dir, 'console-AB12CD34.js'), 'export {};');
    writeFileSync(path.join(dir, 'notes.md'), '# not served');
    const bundle = ConsoleBundle.read(dir);
    expect(bundle.built).toBe(true);
    expect(bundle.file('index.html')).toMatchObject({
      contentType: 'text/html; charset=utf-8',
      cacheControl: 'no-cache',
    });
    expect(bundle.file('console-AB12CD34.js')).toMatchObject({
      contentType: 'text/javascript; charset=utf-8',
      cacheControl: 'public, max-age=31536000, immutable',
    });
    expect(bundle.file('index.html')?.etag).toMatch(/^"[\w-]{27}"$/);
    expect(bundle.file('index.html')?.etag).not.toBe(bundle.file('console-AB12CD34.js')?.etag);
    expect(bundle.file('notes.md')).toBeUndefined();
    expect(bundle.file('../package.json')).toBeUndefined();
  });

  it('keeps a gzipped copy of text files with an ETag of its own', () => {
    writeFileSync(path.join(dir, 'index.html'), `<!doctype html>${'<p>console</p>'.repeat(200)}`);
    const file = ConsoleBundle.read(dir).file('index.html');
    expect(file?.gzipped?.body.length).toBeLessThan(file?.body.length ?? 0);
    expect(gunzipSync(file?.gzipped?.body ?? Buffer.alloc(0)).equals(file?.body ?? Buffer.alloc(1))).toBe(true);
    expect(file?.gzipped?.etag).toBe(`${file?.etag.slice(0, -1)}-gz"`);
  });

  it('is empty when the console was never built, and the controller says how to build it', () => {
    const bundle = ConsoleBundle.read(path.join(dir, 'missing'));
    expect(bundle.built).toBe(false);
    const controller = new ConsoleController(bundle, {} as HttpAdapterHost);
    expect(() => controller.index({}, {})).toThrow(NotFoundException);
    expect(() => controller.index({}, {})).toThrow(/npm run build:console/);
  });
});

describe('acceptsGzip', () => {
  it('accepts gzip or * unless refused with q=0', () => {
    expect(acceptsGzip('gzip, deflate, br, zstd')).toBe(true);
    expect(acceptsGzip('br;q=1.0, *;q=0.5')).toBe(true);
    expect(acceptsGzip('gzip;q=0, br')).toBe(false);
    expect(acceptsGzip('identity')).toBe(false);
    expect(acceptsGzip(undefined)).toBe(false);
  });
});
