import { closeSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { processAlive } from '../process/processAlive';

/**
 * Writes a file so that readers see either the old content or the complete new content, never a torn
 * one: data goes to a temporary file in the same folder, is flushed to disk, then renamed over the target.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  // (isAtomicTempOf and removeAbandonedTemporaryFiles below recognise this name: keep the three in step.)
  removeAbandonedTemporaryFiles(path);
  try {
    const fd = openSync(temp, 'w');
    try {
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      let offset = 0;
      while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true });
    throw new RunWriteError(path, err as NodeJS.ErrnoException);
  }
}

/**
 * Whether `fileName` is a temporary file writeFileAtomic of process `pid` left behind: only a process killed
 * between writing and renaming leaves one, so after that process has ended it can be removed.
 */
export function isAtomicTempOf(fileName: string, pid: number): boolean {
  return new RegExp(`^\\..+\\.${pid}\\.\\d+\\.tmp$`).test(fileName);
}

/**
 * A run file that could not be written (disk full, read-only or missing folder). Node's own message for a
 * failed write does not say which file; this one names it and says what to check.
 */
export class RunWriteError extends Error {
  readonly code: string | undefined;
  constructor(
    readonly path: string,
    cause: NodeJS.ErrnoException,
  ) {
    const hint =
      cause.code === 'ENOSPC' || cause.code === 'EDQUOT'
        ? 'the disk is full'
        : cause.code === 'EROFS' || cause.code === 'EACCES' || cause.code === 'EPERM'
          ? 'the folder is not writable'
          : cause.code === 'ENOENT' || cause.code === 'ENOTDIR'
            ? 'the folder does not exist'
            : undefined;
    super(`cannot write ${path}${hint ? ` (${hint})` : ''}: ${cause.message}; nothing was left half-written`);
    this.name = 'RunWriteError';
    this.code = cause.code;
  }
}

export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Deletes the temporary files that writers of `path` killed mid-write (SIGKILL, a power cut) left behind: those
 * named for it whose process is gone. A live writer's file is left alone. They are hidden names ending in
 * .tmp, never taken for the file itself, but a folder of results should not collect them.
 */
export function removeAbandonedTemporaryFiles(path: string): void {
  const prefix = `.${basename(path)}.`;
  let entries: string[];
  try {
    entries = readdirSync(dirname(path));
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!entry.startsWith(prefix) || !entry.endsWith('.tmp')) continue;
    const pid = Number(entry.slice(prefix.length).split('.')[0]);
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !processAlive(pid))
      rmSync(join(dirname(path), entry), { force: true });
  }
}
