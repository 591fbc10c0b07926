import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readEpochRecords } from '../../core/runs/metricsLog';
import { SLURM_SWEEP_FILE, readSlurmSweepFile } from '../../app/sweep/slurm/slurmSweepFile';
import { refreshSlurmSweep } from '../../app/sweep/slurm/slurmSweepResults';
import type { SlurmRunView } from '../../app/sweep/slurm/slurmSweepStatus';
import { foldersHolding } from '../../app/sweep/sweepFolders';
import { UNFINISHED } from '../../app/sweep/sweepResults';

/** A task of a sweep on Slurm that waits or trains, as the Runs view shows it. */
export interface SlurmTask {
  readonly folder: string;
  readonly sweep: string;
  readonly view: SlurmRunView;
  /** Validation PSNR of the run's last finished epoch, read from its metrics.jsonl as it grows. */
  readonly valPsnr?: number;
}

/** How often the watcher asks Slurm (one squeue call per sweep) while a task waits or runs. */
const POLL_MS = 5000;

/**
 * Follows the sweeps on Slurm of the workspace's runs folders: those submitted in this window and those
 * found on disk whose table still has waiting or running runs (after a reload). Each poll is what
 * `denoise sweep-status` does (squeue, the run files, the results table rewritten); a sweep whose every
 * task has ended stops being polled.
 */
export class SlurmSweepWatcher {
  private readonly folders = new Set<string>();
  private tasksNow: SlurmTask[] = [];
  private readonly listeners = new Set<() => void>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;

  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  onChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** The tasks that wait or train, as of the last poll. */
  get tasks(): readonly SlurmTask[] {
    return this.tasksNow;
  }

  watch(folder: string): void {
    this.folders.add(folder);
    void this.poll();
  }

  /** Adds the sweeps on Slurm in these runs folders whose results table still lists unfinished runs. */
  discover(runsFolders: readonly string[]): void {
    let added = false;
    for (const folder of foldersHolding(runsFolders, SLURM_SWEEP_FILE)) {
      if (this.folders.has(folder) || !hasUnfinished(folder)) continue;
      this.folders.add(folder);
      added = true;
    }
    if (added) void this.poll();
  }

  async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const tasks: SlurmTask[] = [];
      for (const folder of [...this.folders]) {
        try {
          const sweep = readSlurmSweepFile(folder).name;
          const { views } = await refreshSlurmSweep(folder, this.env);
          const open = views.filter((v) => UNFINISHED.has(v.status));
          if (open.length === 0) this.folders.delete(folder);
          tasks.push(...open.map((view) => ({ folder, sweep, view, valPsnr: lastValPsnr(view.runDir) })));
        } catch {
          // Slurm unreachable or the folder gone: nothing to show for it now.
          this.folders.delete(folder);
        }
      }
      this.tasksNow = tasks;
      for (const listener of this.listeners) listener();
    } finally {
      this.polling = false;
    }
    clearTimeout(this.timer);
    if (this.folders.size > 0) this.timer = setTimeout(() => void this.poll(), POLL_MS).unref();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.folders.clear();
    this.listeners.clear();
  }
}

function hasUnfinished(folder: string): boolean {
  try {
    const table = JSON.parse(readFileSync(join(folder, 'sweep.json'), 'utf8')) as { runs?: { status?: string }[] };
    return (table.runs ?? []).some((r) => UNFINISHED.has(r.status ?? ''));
  } catch {
    return false;
  }
}

function lastValPsnr(runDir: string | undefined): number | undefined {
  if (!runDir) return undefined;
  try {
    return readEpochRecords(runDir).at(-1)?.val?.psnr;
  } catch {
    return undefined;
  }
}
