import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file so that readers see either the old content or the complete new content, never a torn
 * one: data goes to a temporary file in the same folder, is flushed to disk, then renamed over the target.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  // (isAtomicTempOf below recognises this name: keep the two in step.)
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
