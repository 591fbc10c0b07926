/**
 * Which saved runs belong to which sweep: a sweep's folder in the runs folder holds sweep.json (written by
 * `denoise sweep` and by the extension after each run ends) naming each run's folder and its label in the
 * sweep ("training.learningRate=0.01"). The Runs view groups the runs under their sweep by it.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { foldersHolding } from './sweepFolders';
import { SUCCESSFUL } from './sweepResults';

export interface SweepRunEntry {
  readonly runDir: string;
  /** The run's label in the sweep: the values it was given. */
  readonly label: string;
  readonly status: string;
}

export interface SweepGroup {
  /** The sweep's folder (results.md, results.csv, sweep.json). */
  readonly folder: string;
  readonly name: string;
  /** The experiment file the sweep came from. */
  readonly file: string;
  readonly total: number;
  /** The runs that made a folder, in the sweep's order. */
  readonly runs: readonly SweepRunEntry[];
  /** Runs that ended without completing, including those that never made a folder. */
  readonly failed: number;
  readonly ended: number;
}

type SweepFile = {
  name?: unknown;
  file?: unknown;
  total?: unknown;
  runs?: { runDir?: unknown; label?: unknown; status?: unknown }[];
};

/** One sweep folder's sweep.json as a group, or undefined when the folder holds none (or a broken one). */
export function readSweepGroup(folder: string): SweepGroup | undefined {
  let parsed: SweepFile;
  try {
    parsed = JSON.parse(readFileSync(join(folder, 'sweep.json'), 'utf8')) as SweepFile;
  } catch {
    return undefined;
  }
  if (typeof parsed.name !== 'string' || !Array.isArray(parsed.runs)) return undefined;
  const entries = parsed.runs.filter((r) => r && typeof r === 'object');
  const status = (r: (typeof entries)[number]) => (typeof r.status === 'string' ? r.status : 'unknown');
  const ended = entries.filter((r) => !['pending', 'running'].includes(status(r)));
  return {
    folder,
    name: parsed.name,
    file: typeof parsed.file === 'string' ? parsed.file : '',
    total: typeof parsed.total === 'number' ? parsed.total : entries.length,
    runs: entries
      .filter((r) => typeof r.runDir === 'string' && r.runDir)
      .map((r) => ({
        // Written absolute; a hand-moved file with relative paths is read against the runs folder.
        runDir: isAbsolute(r.runDir as string) ? (r.runDir as string) : resolve(dirname(folder), r.runDir as string),
        label: typeof r.label === 'string' ? r.label : '',
        status: status(r),
      })),
    ended: ended.length,
    failed: ended.filter((r) => !SUCCESSFUL.has(status(r))).length,
  };
}

/** The sweeps in the given runs folders: each subfolder with a sweep.json, newest first (names end in a time). */
export function listSweeps(runsFolders: readonly string[]): SweepGroup[] {
  const groups: SweepGroup[] = [];
  for (const folder of foldersHolding(runsFolders, 'sweep.json')) {
    const group = readSweepGroup(folder);
    if (group) groups.push(group);
  }
  return groups.sort((a, b) => b.folder.localeCompare(a.folder));
}

/** Saved runs split into sweeps (with their runs, in sweep order) and the runs of no sweep, order kept. */
export function groupBySweep<Run extends { readonly runDir: string }>(
  runs: readonly Run[],
  sweeps: readonly SweepGroup[],
): { sweeps: { sweep: SweepGroup; runs: Run[] }[]; loose: Run[] } {
  const byDir = new Map(runs.map((r) => [r.runDir, r]));
  const taken = new Set<string>();
  const grouped = sweeps.map((sweep) => {
    const members = sweep.runs
      .map((entry) => byDir.get(entry.runDir))
      .filter((r): r is Run => r !== undefined && !taken.has(r.runDir));
    for (const r of members) taken.add(r.runDir);
    return { sweep, runs: members };
  });
  return {
    // A sweep whose run folders were all deleted is still shown while its results files are there.
    sweeps: grouped,
    loose: runs.filter((r) => !taken.has(r.runDir)),
  };
}
