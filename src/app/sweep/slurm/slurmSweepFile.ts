import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '../../../core/files/atomicWrite';
import { InputError } from '../../../core/errors/inputError';
import type { PlannedColumns } from '../sweepResults';
import type { SlurmOptions } from './slurmOptions';

/** One sbatch call: the array job's id and the task ids (= run indices) it holds. */
export interface SlurmSubmission {
  readonly jobId: string;
  readonly indices: readonly number[];
  readonly submittedAt: string;
  readonly options: SlurmOptions;
}

/**
 * slurm.json in a sweep folder: what a task needs to run its run (the experiment file, each run's overrides,
 * the runs folder) and what a viewer needs to ask Slurm about it (the submissions). A task's id in the
 * array is its run's index, so a resubmission keeps the ids.
 */
export interface SlurmSweepFile {
  readonly scheduler: 'slurm';
  readonly name: string;
  readonly file: string;
  readonly runsDir: string;
  /** The Node and the denoise script the tasks run (the same paths on the compute nodes). */
  readonly node: string;
  readonly cli: string;
  /** Fields the experiment fixes itself: compute.threads (0: each task takes its CPUs). */
  readonly fixedThreads: number;
  /**
   * The experiment as parsed at submission, and each run's overrides on it: a task trains exactly the
   * checked run, even if the file changes meanwhile. The columns fill a row before the run has a folder.
   */
  readonly experiment: unknown;
  readonly runs: readonly {
    readonly index: number;
    readonly label: string;
    readonly overrides: readonly string[];
    readonly columns: PlannedColumns;
  }[];
  /** The experiment file's folder, from which relative dataset paths resolve. */
  readonly baseDir: string;
  readonly submissions: readonly SlurmSubmission[];
  /**
   * Tasks cancelled through sweep-cancel ("JOBID_INDEX"): Slurm keeps no record of an array task cancelled
   * while it waited, so without this list it could not be told from one Slurm has long forgotten.
   */
  readonly cancelled?: readonly string[];
}

export const SLURM_SWEEP_FILE = 'slurm.json';

export const slurmSweepPath = (folder: string) => join(folder, SLURM_SWEEP_FILE);
export const taskRecordPath = (folder: string, index: number) => join(folder, 'tasks', `${index}.json`);
export const taskLogPattern = (folder: string) => join(folder, 'logs', '%a.%A.out');
export const taskLogPath = (folder: string, index: number, jobId: string) =>
  join(folder, 'logs', `${index}.${jobId}.out`);

export function writeSlurmSweepFile(folder: string, sweep: SlurmSweepFile): void {
  writeJsonAtomic(slurmSweepPath(folder), sweep);
}

/** Reads slurm.json; an InputError says when the folder is not a Slurm sweep's. */
export function readSlurmSweepFile(folder: string): SlurmSweepFile {
  let text: string;
  try {
    text = readFileSync(slurmSweepPath(folder), 'utf8');
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new InputError(
      missing
        ? `${folder} is not the folder of a sweep submitted to Slurm (no ${SLURM_SWEEP_FILE}); ` +
            '`denoise sweep CONFIG --on slurm` makes one'
        : `cannot read ${slurmSweepPath(folder)}: ${(err as Error).message}`,
    );
  }
  try {
    return JSON.parse(text) as SlurmSweepFile;
  } catch (err) {
    throw new InputError(`${slurmSweepPath(folder)} is not valid JSON (${(err as Error).message})`);
  }
}

/** What a task writes when it starts (and again once its run folder exists): where and as which job it ran. */
export interface TaskRecord {
  readonly index: number;
  readonly jobId: string;
  readonly host: string;
  readonly pid: number;
  readonly startedAt: string;
  readonly runDir?: string;
  /** Set when the task continued an interrupted run rather than starting one. */
  readonly resumed?: boolean;
}

export function readTaskRecord(folder: string, index: number): TaskRecord | undefined {
  try {
    return JSON.parse(readFileSync(taskRecordPath(folder, index), 'utf8')) as TaskRecord;
  } catch {
    return undefined;
  }
}

/** "0-3,7,9-11" for [0,1,2,3,7,9,10,11]: sbatch's --array list. */
export function arraySpec(indices: readonly number[]): string {
  const sorted = [...new Set(indices)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}
