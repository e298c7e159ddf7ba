import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';

/** Where `npm run build:console` writes the console (scripts/build-console.ts), from the project root. */
export const CONSOLE_BUNDLE_DIR = path.join('dist', 'console');

/** One representation of a file: its bytes and their ETag. */
export interface ConsoleBody {
  readonly body: Buffer;
  readonly etag: string;
}

/** One built file of the console, held in memory with the headers it is served with. */
export interface ConsoleFile extends ConsoleBody {
  readonly contentType: string;
  readonly cacheControl: string;
  /** The same bytes gzipped once at start-up (text files), for clients that accept gzip. */
  readonly gzipped: ConsoleBody | null;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

function strongEtag(body: Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

/** esbuild names the script and style sheet `<name>-<hash>.<ext>`: their URL changes with their bytes. */
const HASHED_NAME = /-[A-Z0-9]{8}\.(js|css|js\.map|css\.map|js\.LEGAL\.txt)$/;

/**
 * The console's files as built, read once: index.html is revalidated on every load (its ETag
 * answers 304), the content-hashed script and style sheet are cached for a year.
 */
export class ConsoleBundle {
  private constructor(
    readonly dir: string,
    private readonly files: ReadonlyMap<string, ConsoleFile>,
  ) {}

  /** Reads every servable file of `dir`; an absent or unbuilt directory gives an empty bundle. */
  static read(dir: string): ConsoleBundle {
    const files = new Map<string, ConsoleFile>();
    if (existsSync(path.join(dir, 'index.html'))) {
      for (const name of readdirSync(dir)) {
        const contentType = CONTENT_TYPES[path.extname(name)];
        if (contentType === undefined) continue;
        const body = readFileSync(path.join(dir, name));
        const etag = strongEtag(body);
        const gzipped = contentType.startsWith('image/') ? null : gzipSync(body, { level: 9 });
        files.set(name, {
          body,
          contentType,
          etag,
          cacheControl: HASHED_NAME.test(name) ? 'public, max-age=31536000, immutable' : 'no-cache',
          // Another representation, so another validator (RFC 9110 §8.8.3).
          gzipped:
            gzipped !== null && gzipped.length < body.length
              ? { body: gzipped, etag: `${etag.slice(0, -1)}-gz"` }
              : null,
        });
      }
    }
    return new ConsoleBundle(dir, files);
  }

  /** True once `npm run build:console` has written the console. */
  get built(): boolean {
    return this.files.has('index.html');
  }

  /** The file of that exact name (names are looked up, never joined to a path). */
  file(name: string): ConsoleFile | undefined {
    return this.files.get(name);
  }
}
