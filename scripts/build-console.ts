/**
 * npm run build:console — bundles the web console (apps/console) with esbuild into
 * dist/console: index.html, a content-hashed script and style sheet, and the icon. The API
 * reads that folder once at start-up and serves it at /console (apps/api/src/console).
 * Nothing inline: the page links its script and style sheet, so the API's CSP holds.
 */
import { copyFileSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const ROOT = path.resolve(__dirname, '..');
const SOURCE = path.join(ROOT, 'apps', 'console');
export const CONSOLE_OUT_DIR = path.join(ROOT, 'dist', 'console');

/** Builds the console into `outDir` (written aside, then renamed into place); returns the files written. */
export async function buildConsole(outDir: string = CONSOLE_OUT_DIR): Promise<string[]> {
  const staging = `${outDir}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  const result = await build({
    entryPoints: { console: path.join(SOURCE, 'src', 'main.ts') },
    bundle: true,
    format: 'esm',
    target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
    minify: true,
    sourcemap: 'linked',
    entryNames: '[name]-[hash]',
    outdir: staging,
    metafile: true,
    tsconfig: path.join(SOURCE, 'tsconfig.json'),
    logLevel: 'warning',
    legalComments: 'linked',
  });
  const outputs = Object.keys(result.metafile.outputs).map((file) => path.basename(file));
  const script = outputs.find((name) => name.endsWith('.js'));
  const styles = outputs.find((name) => name.endsWith('.css'));
  if (script === undefined || styles === undefined)
    throw new Error(`esbuild wrote no script or style sheet: ${outputs.join(', ')}`);
  const html = readFileSync(path.join(SOURCE, 'index.html'), 'utf8')
    .replace('%CONSOLE_SCRIPT%', `/console/${script}`)
    .replace('%CONSOLE_STYLES%', `/console/${styles}`);
  writeFileSync(path.join(staging, 'index.html'), html);
  copyFileSync(path.join(SOURCE, 'favicon.svg'), path.join(staging, 'favicon.svg'));
  mkdirSync(path.dirname(outDir), { recursive: true });
  rmSync(outDir, { recursive: true, force: true });
  renameSync(staging, outDir);
  return [...outputs, 'index.html', 'favicon.svg'];
}

if (require.main === module) {
  buildConsole()
    .then((files) => console.log(`[console] built ${files.length} files into ${path.relative(ROOT, CONSOLE_OUT_DIR)}`))
    .catch((error: unknown) => {
      console.error(`[console] build failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    });
}
