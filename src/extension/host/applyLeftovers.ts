import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { isAtomicTempOf } from '../../core/files/atomicWrite';

/**
 * Removes the temporary files an apply's trainer `pid` left under `out` when it was killed mid-write (each
 * output is written under a temporary name, then renamed): only that process's, and only once it has ended.
 * Returns how many were removed. Outputs it had renamed into place are complete and stay.
 */
export function removeApplyLeftovers(out: string, pid: number): number {
  let removed = 0;
  let entries;
  try {
    entries = readdirSync(out, { withFileTypes: true, recursive: true });
  } catch {
    return 0; // Nothing was written yet: the folder does not exist.
  }
  for (const entry of entries) {
    if (!entry.isFile() || !isAtomicTempOf(entry.name, pid)) continue;
    rmSync(join(entry.parentPath, entry.name), { force: true });
    removed++;
  }
  return removed;
}
