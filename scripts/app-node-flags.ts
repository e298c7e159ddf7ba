import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');

/**
 * The node flags a package.json script starts an app with ("node [--flags] <entry>"), so that
 * `npm start`, the benchmarks and the memory check run the apps exactly as users do, GC
 * settings included, from one place.
 */
export function appNodeFlags(script: 'start:api' | 'start:ingestor' | 'ingest', entry: string): string[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  const command = manifest.scripts?.[script] ?? '';
  const words = command.split(' ').filter((word) => word !== '');
  const flags = words.slice(1, -1);
  if (words[0] !== 'node' || words.at(-1) !== entry || flags.some((flag) => !flag.startsWith('--'))) {
    throw new Error(`package.json's "${script}" is not "node [--flags] ${entry}": ${command}`);
  }
  return flags;
}
