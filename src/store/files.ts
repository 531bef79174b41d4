import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readdirSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { GlassboxError } from '../util/errors.js';

/**
 * Temporary files are named `.<target>.<pid>.<n>.tmp` beside their target, so a cleaner can
 * tell whose they are: a file whose writer process is gone is debris from a crash.
 */
const TEMP_PATTERN = /^\..+\.(\d+)\.\d+\.tmp$/;
let tempCounter = 0;

export interface WrittenFile {
  bytes: number;
  /** SHA-256 of the content, hex. */
  sha256: string;
}

/**
 * Writes a file durably and atomically: the chunks go to a temporary file beside `path`, which
 * is fsynced, renamed over the target, and the directory fsynced. After a crash at any moment
 * `path` holds either its old content (or nothing) or the complete new content, never a part.
 */
export function writeFileDurable(path: string, chunks: Iterable<Uint8Array>): WrittenFile {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${++tempCounter}.tmp`);
  const hash = createHash('sha256');
  let bytes = 0;
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx');
    for (const chunk of chunks) {
      let done = 0;
      while (done < chunk.length) done += writeSync(fd, chunk, done, chunk.length - done);
      hash.update(chunk);
      bytes += chunk.length;
    }
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
    syncDirectory(dirname(path));
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    try { unlinkSync(tmp); } catch { /* already gone */ }
    if (error instanceof GlassboxError) throw error;
    throw new GlassboxError('io', `cannot write ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return { bytes, sha256: hash.digest('hex') };
}

/** Makes a rename or a new directory entry durable (a no-op where directories cannot be opened). */
export function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Windows cannot fsync a directory; the rename is still atomic there.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Whether a process of this host is alive (EPERM means it exists but belongs to someone else). */
export function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export const HOST = hostname();

/** Deletes the temporary files in `dir` whose writing process has died. Returns how many. */
export function removeStaleTempFiles(dir: string): number {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    const match = TEMP_PATTERN.exec(name);
    if (!match || processAlive(Number(match[1]))) continue;
    try {
      unlinkSync(join(dir, name));
      removed++;
    } catch { /* another cleaner got there first */ }
  }
  return removed;
}

export function isTempFile(name: string): boolean {
  return TEMP_PATTERN.test(name);
}
