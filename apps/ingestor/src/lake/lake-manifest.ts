import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const MANIFEST_FILE = '_manifest.json';

/** What the lake knows of one written partition (one Parquet file). */
export interface LakePartition {
  readonly kind: string;
  readonly id: string;
  readonly month: string;
  /** The file, relative to the lake's root. */
  readonly file: string;
  readonly rows: number;
  readonly first_ts: string;
  readonly last_ts: string;
  /** sha256 of the file's bytes. */
  readonly sha256: string;
  readonly exported_at: string;
  /** The partition's change marker when it was read (cql/010); equal next time means unchanged. */
  readonly change_marker: string;
}

export interface LakeManifest {
  readonly format: 'market-warehouse-lake/1';
  readonly timeframe: string;
  readonly updated_at: string;
  readonly partitions: Readonly<Record<string, LakePartition>>;
}

/** The Hive-style directory of a partition: kind=asset/id=AAPL/month=2025-08 (values URL-escaped, as Hive does). */
export function partitionDirectory(kind: string, id: string, month: string): string {
  return `kind=${encodeURIComponent(kind)}/id=${encodeURIComponent(id)}/month=${month}`;
}

/** The manifest of the lake at `root`, or an empty one; a manifest of another timeframe is an error. */
export function readManifest(root: string, timeframe: string): LakeManifest {
  const file = path.join(root, MANIFEST_FILE);
  if (!fs.existsSync(file)) return { format: 'market-warehouse-lake/1', timeframe, updated_at: '', partitions: {} };
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as LakeManifest;
  if (manifest.format !== 'market-warehouse-lake/1') throw new Error(`${file} is not a market-warehouse lake manifest`);
  if (manifest.timeframe !== timeframe) {
    throw new Error(`${root} holds a ${manifest.timeframe} lake; export ${timeframe} bars to another directory`);
  }
  return manifest;
}

/** Replaces `target` atomically: the bytes go to a temporary file beside it, then a rename. */
export function replaceFileAtomically(target: string, write: (temporary: string) => void): void {
  const temporary = `${target}.${process.pid}.tmp`;
  write(temporary);
  fs.renameSync(temporary, target);
}

/** Writes the manifest atomically, so an interrupted run leaves the previous one or this one. */
export function writeManifest(root: string, manifest: LakeManifest): void {
  replaceFileAtomically(path.join(root, MANIFEST_FILE), (temporary) =>
    fs.writeFileSync(temporary, `${JSON.stringify(manifest, null, 2)}\n`),
  );
}

/** `data.parquet.<pid>.tmp`, `_manifest.json.<pid>.tmp`: what replaceFileAtomically leaves when killed. */
const TEMPORARY = /\.(\d+)\.tmp$/;

/**
 * Removes the temporary files that killed runs left under `root` (a SIGKILL skips every
 * cleanup). A file whose writer is still alive is kept: that run is still writing it.
 * Returns how many were removed.
 */
export function removeStaleTemporaries(root: string): number {
  let removed = 0;
  for (const name of fs.readdirSync(root, { recursive: true, encoding: 'utf8' })) {
    const pid = Number(TEMPORARY.exec(name)?.[1] ?? Number.NaN);
    if (Number.isNaN(pid) || isAlive(pid)) continue;
    fs.rmSync(path.join(root, name), { force: true });
    removed += 1;
  }
  return removed;
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** sha256 of a file, hex. */
export function fileSha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}
