import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');

type AppScript = 'start:api' | 'start:ingestor' | 'ingest';

const ASSIGNMENT = /^([A-Z_][A-Z0-9_]*)=(\S*)$/;

/** A package.json script "[NAME=value ...] node [--flags] <entry>", taken apart. */
function appCommand(script: AppScript, entry: string): { env: Record<string, string>; flags: string[] } {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  const command = manifest.scripts?.[script] ?? '';
  const words = command.split(' ').filter((word) => word !== '');
  const assignments = words.slice(0, Math.max(words.indexOf('node'), 0));
  const flags = words.slice(assignments.length + 1, -1);
  if (
    words[assignments.length] !== 'node' ||
    words.at(-1) !== entry ||
    assignments.some((word) => !ASSIGNMENT.test(word)) ||
    flags.some((flag) => !flag.startsWith('--'))
  ) {
    throw new Error(`package.json's "${script}" is not "[NAME=value ...] node [--flags] ${entry}": ${command}`);
  }
  const env = Object.fromEntries(assignments.map((word) => word.split('=', 2) as [string, string]));
  return { env, flags };
}

/**
 * The node flags a package.json script starts an app with ("node [--flags] <entry>"), so that
 * `npm start`, the benchmarks and the memory check run the apps exactly as users do, GC
 * settings included, from one place.
 */
export function appNodeFlags(script: AppScript, entry: string): string[] {
  return appCommand(script, entry).flags;
}

/** The environment that script sets before node ("MALLOC_ARENA_MAX=2 node ..."), for the same launchers. */
export function appEnvironment(script: AppScript, entry: string): Record<string, string> {
  return appCommand(script, entry).env;
}
