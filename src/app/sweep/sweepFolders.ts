/**
 * Where sweeps live: each one is a subfolder of a runs folder holding its own marker file (sweep.json for a
 * local sweep, the Slurm sweep file for one on a cluster). The Runs view and the Slurm watcher both look for
 * them the same way.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The subfolders of these runs folders that hold `markerFile`; a missing or unreadable runs folder has none. */
export function foldersHolding(runsFolders: Iterable<string>, markerFile: string): string[] {
  const found: string[] = [];
  for (const runsDir of new Set(runsFolders)) {
    let entries: string[];
    try {
      entries = readdirSync(runsDir);
    } catch {
      continue;
    }
    for (const entry of entries) if (existsSync(join(runsDir, entry, markerFile))) found.push(join(runsDir, entry));
  }
  return found;
}
