import { existsSync, readFileSync } from 'node:fs';
import { readCheckpoint } from '../../../core/runs/checkpoint';
import { describeRun } from '../../../core/runs/listRuns';
import { runFile } from '../../../core/runs/runFiles';
import type { RunStatusFile } from '../../../core/runs/runStatus';
import { writeJsonAtomic } from '../../../core/files/atomicWrite';
import { SUCCESSFUL, type SweepRunOutcome } from '../sweepResults';
import { ACTIVE_SLURM_STATES, queryArrayTasks, type SlurmTaskState } from './slurmQueue';
import { readTaskRecord, taskLogPath, type SlurmSweepFile } from './slurmSweepFile';

/** One run of a Slurm sweep as a viewer sees it: Slurm's word next to the run folder's. */
export interface SlurmRunView {
  readonly index: number;
  readonly label: string;
  /** The array job and task that hold the run now (its latest submission). */
  readonly jobId?: string;
  /** Slurm's state, or "unknown" once slurmctld has forgotten the task (after MinJobAge). */
  readonly slurmState: string;
  readonly slurmReason: string;
  readonly node: string;
  /** The run folder's own status (running, completed, interrupted...), or "not started". */
  readonly training: string;
  readonly epoch?: number;
  readonly epochs?: number;
  readonly runDir?: string;
  /** For the results table: pending, running, completed, failed, cancelled, timedOut... */
  readonly status: string;
  readonly message?: string;
}

/** Slurm's end states in the results table's words. */
const ENDED: Readonly<Record<string, string>> = {
  CANCELLED: 'cancelled',
  TIMEOUT: 'timedOut',
  DEADLINE: 'timedOut',
  OUT_OF_MEMORY: 'outOfMemory',
  NODE_FAIL: 'nodeFailed',
  PREEMPTED: 'preempted',
  BOOT_FAIL: 'failed',
  FAILED: 'failed',
  COMPLETED: 'failed',
};

function readRawStatus(runDir: string): RunStatusFile | undefined {
  try {
    return JSON.parse(readFileSync(runFile(runDir, 'status'), 'utf8')) as RunStatusFile;
  } catch {
    return undefined;
  }
}

/** The last lines of a task's log: the run's or Node's own words about why it stopped. */
function logTail(path: string, lines = 4): string | undefined {
  try {
    const text = readFileSync(path, 'utf8')
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('{'));
    return text.length ? text.slice(-lines).join('\n') : undefined;
  } catch {
    return undefined;
  }
}

/** The latest submission holding each run index. */
function latestJobs(sweep: SlurmSweepFile): Map<number, string> {
  const jobs = new Map<number, string>();
  for (const submission of sweep.submissions) for (const index of submission.indices) jobs.set(index, submission.jobId);
  return jobs;
}

/**
 * Each run's state from one squeue call and the files in the sweep and run folders. A run whose task
 * Slurm ended (time limit, scancel, a failed node) while its status.json still says running is marked
 * interrupted there, so `denoise resume`, the extension and `--resume` see a run that can continue.
 */
export async function viewSlurmSweep(
  folder: string,
  sweep: SlurmSweepFile,
  env: NodeJS.ProcessEnv = process.env,
): Promise<SlurmRunView[]> {
  const jobs = latestJobs(sweep);
  const tasks = await queryArrayTasks([...new Set(jobs.values())], env);
  const byKey = new Map<string, SlurmTaskState>(tasks.map((t) => [`${t.jobId}_${t.index}`, t]));
  const cancelled = new Set(sweep.cancelled ?? []);
  return sweep.runs.map((run) => {
    const jobId = jobs.get(run.index);
    const key = `${jobId}_${run.index}`;
    const known = jobId === undefined ? undefined : byKey.get(key);
    const task =
      known ??
      (cancelled.has(key)
        ? { jobId: jobId as string, index: run.index, state: 'CANCELLED', reason: '', node: '', elapsed: '' }
        : undefined);
    return viewRun(folder, run, jobId, task);
  });
}

function viewRun(
  folder: string,
  run: SlurmSweepFile['runs'][number],
  jobId: string | undefined,
  task: SlurmTaskState | undefined,
): SlurmRunView {
  const slurmState = task?.state ?? (jobId ? 'unknown' : 'notSubmitted');
  const active = ACTIVE_SLURM_STATES.has(slurmState);
  const record = readTaskRecord(folder, run.index);
  // A record from an earlier submission still names the run folder a resubmitted task continues.
  const runDir = record?.runDir;
  const base = {
    index: run.index,
    label: run.label,
    jobId,
    slurmState,
    slurmReason: task?.reason ?? '',
    node: task?.node ?? record?.host ?? '',
  };
  if (!runDir || !existsSync(runFile(runDir, 'config'))) {
    if (active) return { ...base, training: 'not started', status: slurmState === 'PENDING' ? 'pending' : 'running' };
    return {
      ...base,
      training: 'not started',
      status: ENDED[slurmState] ?? 'failed',
      message: neverStarted(folder, run.index, jobId, task, record !== undefined),
    };
  }
  const listing = describeRun(runDir);
  let training: string = listing.summary?.status ?? readRawStatus(runDir)?.status ?? 'unknown';
  const epoch = listing.summary?.epochsCompleted ?? listing.epoch;
  const epochs = listing.epochs ?? listing.summary?.epochsCompleted;
  const view = { ...base, runDir, epoch, epochs };
  const thisAttempt = record?.jobId === jobId;
  // A task that wrote its summary has ended its run, even while Slurm still lists it as running.
  if (active && !(thisAttempt && listing.summary)) {
    return {
      ...view,
      training: thisAttempt ? training : `${training} (before resubmission)`,
      status: slurmState === 'PENDING' ? 'pending' : 'running',
    };
  }
  if (listing.summary) {
    const message = SUCCESSFUL.has(training) ? undefined : listing.summary.message;
    return { ...view, training, status: training, message };
  }
  if (training === 'running') {
    const why =
      slurmState === 'unknown' ? 'its task is no longer known to Slurm' : `Slurm ended its task (${slurmState})`;
    markInterrupted(runDir, `${why} at epoch ${epoch ?? 0}`);
    training = 'interrupted';
  }
  const resumable = readCheckpoint(runDir) !== undefined;
  const where = epoch !== undefined && epochs !== undefined ? ` after epoch ${epoch}/${epochs}` : '';
  const next = resumable ? `; \`denoise sweep --resume ${folder}\` continues it` : '; `--resume` starts it again';
  const tail = jobId ? logTail(taskLogPath(folder, run.index, jobId)) : undefined;
  const reasons: Readonly<Record<string, string>> = {
    TIMEOUT: `stopped by Slurm's time limit${where}${next}`,
    CANCELLED: `cancelled${where}${next}`,
    OUT_OF_MEMORY: `out of memory${where}: ask for more with --mem${next}`,
    NODE_FAIL: `its node ${base.node} failed${where}${next}`,
  };
  const message = reasons[slurmState] ?? `ended without a summary${where}${tail ? `: ${tail}` : ''}${next}`;
  return {
    ...view,
    training,
    status: slurmState === 'unknown' ? 'interrupted' : (ENDED[slurmState] ?? 'failed'),
    message,
  };
}

/** Why a task that ended never made its run folder: most often a runs folder the compute node cannot see. */
function neverStarted(
  folder: string,
  index: number,
  jobId: string | undefined,
  task: SlurmTaskState | undefined,
  recorded: boolean,
): string {
  if (!jobId) return 'not submitted to Slurm';
  if (task?.state === 'CANCELLED') return 'cancelled before it started';
  const tail = logTail(taskLogPath(folder, index, jobId));
  if (!recorded && !tail) {
    const ended = task
      ? `the task ended${task.node ? ` on ${task.node}` : ''} ` +
        `(${task.state}${task.reason ? `, ${task.reason}` : ''}) ` +
        'without writing'
      : 'Slurm no longer lists the task, and it never wrote';
    return (
      `${ended} to ${folder}: the compute nodes probably cannot see the runs folder; ` +
      'put it on a file system they share ' +
      '(set output.runsDir or --runs-dir) and submit again'
    );
  }
  return tail ?? `the task ended (${task?.state ?? 'forgotten by Slurm'}) before its run folder was made`;
}

/** Rewrites a status.json that still says running (its process was killed) as interrupted. */
export function markInterrupted(runDir: string, message: string): void {
  const status = readRawStatus(runDir);
  if (status?.status !== 'running') return;
  writeJsonAtomic(runFile(runDir, 'status'), {
    ...status,
    status: 'interrupted',
    message,
    updatedAt: new Date().toISOString(),
  });
}

/** The views as the results table's outcomes (its rows take the run folders' figures). */
export function viewsAsOutcomes(views: readonly SlurmRunView[], sweep: SlurmSweepFile): SweepRunOutcome[] {
  const columns = new Map(sweep.runs.map((r) => [r.index, r.columns]));
  return views.map((v) => ({
    index: v.index,
    label: v.label,
    status: v.status,
    runDir: v.runDir,
    message: v.message,
    columns: columns.get(v.index),
    statusWins: true,
  }));
}
