import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { installReason } from './ensure-deps';

interface LockEntry {
  version?: string;
  integrity?: string;
  optional?: boolean;
  dev?: boolean;
}

const lockfile = (packages: Record<string, LockEntry>) => ({
  name: 'market-warehouse',
  lockfileVersion: 3,
  packages: { '': { name: 'market-warehouse', version: '0.1.0' }, ...packages },
});

const jestEntry: LockEntry = { version: '30.5.2', integrity: 'sha512-jest', dev: true };
const required: Record<string, LockEntry> = {
  'node_modules/jest': jestEntry,
  'node_modules/rxjs': { version: '7.8.2', integrity: 'sha512-rxjs' },
};
const otherPlatform: Record<string, LockEntry> = {
  'node_modules/@swc/core-darwin-arm64': { version: '1.16.22', integrity: 'sha512-swc', optional: true },
};

describe('installReason', () => {
  let root: string;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ensure-deps-'));
    writeJson('package-lock.json', lockfile({ ...required, ...otherPlatform }));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  function writeJson(relative: string, value: unknown): void {
    fs.mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
    fs.writeFileSync(path.join(root, relative), JSON.stringify(value));
  }
  /** What npm writes after installing `packages` (the root entry is not part of it). */
  function installed(packages: Record<string, LockEntry>): void {
    writeJson('node_modules/.package-lock.json', { name: 'market-warehouse', lockfileVersion: 3, packages });
  }

  it('asks for an install when node_modules is missing', () => {
    expect(installReason(root)).toBe('node_modules is missing');
  });

  it('asks for an install when node_modules holds no record of an npm install', () => {
    fs.mkdirSync(path.join(root, 'node_modules'));
    expect(installReason(root)).toMatch(/no record of an npm install/);
  });

  it('accepts an install of every package the lockfile names, without other platforms’ optional ones', () => {
    installed(required);
    expect(installReason(root)).toBeNull();
  });

  it('names a package whose installed version differs from the lockfile', () => {
    installed({ ...required, 'node_modules/rxjs': { version: '7.8.1', integrity: 'sha512-rxjs' } });
    expect(installReason(root)).toBe('node_modules/rxjs is 7.8.1, the lockfile wants 7.8.2');
  });

  it('names a package of the lockfile that is not installed', () => {
    installed({ 'node_modules/jest': jestEntry });
    expect(installReason(root)).toBe('node_modules/rxjs 7.8.2 is not installed');
  });

  it('names a package installed from other contents than the lockfile’s', () => {
    installed({ ...required, 'node_modules/jest': { version: '30.5.2', integrity: 'sha512-other' } });
    expect(installReason(root)).toMatch(/node_modules\/jest 30.5.2 differs/);
  });

  it('names an installed package that the lockfile no longer has', () => {
    installed({ ...required, 'node_modules/left-pad': { version: '1.3.0' } });
    expect(installReason(root)).toBe('node_modules/left-pad is installed but no longer in the lockfile');
  });

  it('asks for an install when the pinned node package is there without its binary', () => {
    const node = { 'node_modules/node': { version: '24.21.0', integrity: 'sha512-node', dev: true } };
    writeJson('package-lock.json', lockfile({ ...required, ...node }));
    installed({ ...required, ...node });
    expect(installReason(root)).toMatch(/pinned Node binary/);

    fs.mkdirSync(path.join(root, 'node_modules/node/bin'), { recursive: true });
    fs.writeFileSync(path.join(root, 'node_modules/node/bin/node'), '');
    expect(installReason(root)).toBeNull();
  });

  it('asks for an install when a patch changed after the install, not when it is older', () => {
    fs.mkdirSync(path.join(root, 'patches'));
    const patch = path.join(root, 'patches/cassandra-driver+4.10.0.patch');
    fs.writeFileSync(patch, '');
    installed(required);
    const installedAt = fs.statSync(path.join(root, 'node_modules/.package-lock.json')).mtime;

    fs.utimesSync(patch, installedAt, new Date(installedAt.getTime() - 60_000));
    expect(installReason(root)).toBeNull();

    fs.utimesSync(patch, installedAt, new Date(installedAt.getTime() + 60_000));
    expect(installReason(root)).toBe('patches/cassandra-driver+4.10.0.patch changed after the install');
  });
});
