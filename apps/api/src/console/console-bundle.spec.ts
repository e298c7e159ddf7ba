import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NotFoundException } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import { ConsoleBundle } from './console-bundle';
import { ConsoleController } from './console.controller';

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

  it('is empty when the console was never built, and the controller says how to build it', () => {
    const bundle = ConsoleBundle.read(path.join(dir, 'missing'));
    expect(bundle.built).toBe(false);
    const controller = new ConsoleController(bundle, {} as HttpAdapterHost);
    expect(() => controller.index(undefined, {})).toThrow(NotFoundException);
    expect(() => controller.index(undefined, {})).toThrow(/npm run build:console/);
  });
});
