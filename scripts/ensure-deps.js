#!/usr/bin/env node
/**
 * Runs before `npm start` and `npm test` (their pre-hooks): installs the dependencies from
 * the lockfile with `npm ci` when node_modules is missing or no longer matches
 * package-lock.json, so a fresh clone needs no separate install step.
 *
 * Plain CommonJS with no dependencies: on a fresh clone nothing is installed yet, and it runs
 * on whatever node the machine has (the project's own Node comes with the install).
 *
 *   node scripts/ensure-deps.js            install if needed
 *   node scripts/ensure-deps.js --check    print why an install is needed; exit 1 if it is, 0 if not
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..');

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/**
 * Why node_modules under `root` does not hold what package-lock.json asks for, or null when
 * it does. npm records what it installed in node_modules/.package-lock.json; every package
 * of the lockfile must be there at the same version and integrity, except optional ones
 * (other platforms' binaries are never installed).
 */
function installReason(root) {
  const modules = path.join(root, 'node_modules');
  if (!fs.existsSync(modules)) return 'node_modules is missing';
  const installedFile = path.join(modules, '.package-lock.json');
  if (!fs.existsSync(installedFile)) return 'node_modules has no record of an npm install (.package-lock.json)';

  const wanted = readJson(path.join(root, 'package-lock.json')).packages || {};
  let installed;
  try {
    installed = readJson(installedFile).packages || {};
  } catch {
    return 'node_modules/.package-lock.json is unreadable';
  }
  for (const [location, entry] of Object.entries(wanted)) {
    if (location === '' || entry.link) continue;
    const have = installed[location];
    if (!have) {
      if (entry.optional) continue;
      return `${location} ${entry.version} is not installed`;
    }
    if (have.version !== entry.version) return `${location} is ${have.version}, the lockfile wants ${entry.version}`;
    if (have.integrity && entry.integrity && have.integrity !== entry.integrity) {
      return `${location} ${entry.version} differs from the lockfile's (integrity)`;
    }
  }
  for (const location of Object.keys(installed)) {
    if (!(location in wanted)) return `${location} is installed but no longer in the lockfile`;
  }
  // The node package's binary is fetched by its own install script: a failed or skipped
  // (--ignore-scripts) run leaves the package without it, and every npm script would then
  // fall back to the machine's node.
  if (wanted['node_modules/node'] && !fs.existsSync(path.join(modules, 'node', 'bin', 'node'))) {
    return 'the pinned Node binary (node_modules/node/bin/node) is missing';
  }
  // patch-package applies patches/ at install time: a patch newer than the install is not applied.
  const installedAt = fs.statSync(installedFile).mtimeMs;
  const patches = path.join(root, 'patches');
  if (fs.existsSync(patches)) {
    for (const name of fs.readdirSync(patches)) {
      if (fs.statSync(path.join(patches, name)).mtimeMs > installedAt)
        return `patches/${name} changed after the install`;
    }
  }
  return null;
}

function main() {
  const reason = installReason(ROOT);
  if (process.argv.includes('--check')) {
    console.log(reason === null ? 'node_modules matches package-lock.json' : reason);
    process.exit(reason === null ? 0 : 1);
  }
  if (reason === null) return;
  console.log(`[deps] ${reason}: installing from package-lock.json (npm ci)`);
  const pinned = (readJson(path.join(ROOT, 'package.json')).devDependencies || {}).node;
  if (pinned && process.versions.node !== pinned) {
    console.log(
      `[deps] npm runs on this machine's node ${process.version}; the project's scripts run on node ${pinned}, ` +
        'which this install brings (devDependency "node"), so EBADENGINE warnings about the machine\'s node are expected',
    );
  }
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: ROOT, stdio: 'inherit' });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    console.error(`[deps] npm ci failed (exit ${result.status})`);
    process.exit(result.status === null ? 1 : result.status);
  }
}

if (require.main === module) main();

module.exports = { installReason };
