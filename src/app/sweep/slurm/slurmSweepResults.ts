import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeSweepResults, type SweepResultFiles } from '../sweepResults';
import { readSlurmSweepFile } from './slurmSweepFile';
import { viewSlurmSweep, viewsAsOutcomes, type SlurmRunView } from './slurmSweepStatus';

/** A lock older than this was left by a process that died while holding it. */
const STALE_LOCK_MS = 30_000;

/**
 * Runs `work` while holding a lock folder (mkdir is atomic on every file system, NFS included), so two
 * tasks ending together do not each write a table missing the other's run. Gives up waiting after
 * `waitMs` and runs anyway: a table written twice is better than none.
 */
async function withLock<T>(folder: string, work: () => Promise<T>, waitMs = 10_000): Promise<T> {
  const lock = join(folder, '.results.lock');
  const until = Date.now() + waitMs;
  let held = false;
  while (!held && Date.now() < until) {
    try {
      mkdirSync(lock);
      held = true;
    } catch {
      try {
        if (Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS) rmSync(lock, { recursive: true, force: true });
      } catch {
        // Removed by its owner meanwhile: try again.
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  try {
    return await work();
  } finally {
    if (held) rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Looks at a Slurm sweep (Slurm's states and the run folders) and rewrites its results.md, results.csv
 * and sweep.json: what every process that looks does (a task as it ends, `denoise sweep-status`, the
 * extension's Runs view), so the table is current without a daemon.
 */
export async function refreshSlurmSweep(
  folder: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ views: SlurmRunView[]; files: SweepResultFiles }> {
  const sweep = readSlurmSweepFile(folder);
  return withLock(folder, async () => {
    const views = await viewSlurmSweep(folder, sweep, env);
    const files = writeSweepResults(
      folder,
      { name: sweep.name, file: sweep.file, total: sweep.runs.length },
      viewsAsOutcomes(views, sweep),
    );
    return { views, files };
  });
}
