import { runSlurm, slurmMessage, SlurmError } from './slurmCommands';

/** What Slurm says about one task of an array job. */
export interface SlurmTaskState {
  readonly jobId: string;
  readonly index: number;
  /** PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, TIMEOUT, OUT_OF_MEMORY, NODE_FAIL... */
  readonly state: string;
  /** Why it waits or why it ended (Resources, Priority, NonZeroExitCode, JobLaunchFailure...). */
  readonly reason: string;
  readonly node: string;
  readonly elapsed: string;
}

/**
 * Every task of the given array jobs that slurmctld still holds (running, waiting, and ended ones until
 * MinJobAge), in one squeue call: `-r` lists a waiting array's tasks one per line. A job id Slurm has
 * forgotten is simply absent.
 */
export async function queryArrayTasks(
  jobIds: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<SlurmTaskState[]> {
  if (jobIds.length === 0) return [];
  const result = await runSlurm(
    'squeue',
    ['-h', '-r', '-t', 'all', '-j', jobIds.join(','), '-o', '%F|%K|%T|%r|%N|%M'],
    env,
  );
  if (result.code !== 0) {
    // squeue refuses a list made only of forgotten ids; with one known id among them it answers.
    if (/Invalid job id/i.test(result.stderr)) return [];
    throw new SlurmError(`squeue could not list the sweep's tasks: ${slurmMessage(result)}`);
  }
  const tasks: SlurmTaskState[] = [];
  for (const line of result.stdout.split('\n')) {
    const [jobId, task, state, reason, node, elapsed] = line.trim().split('|');
    if (!jobId || !/^\d+$/.test(task ?? '')) continue;
    tasks.push({
      jobId,
      index: Number(task),
      state,
      reason: reason === 'None' ? '' : reason,
      node: node ?? '',
      elapsed: elapsed ?? '',
    });
  }
  return tasks;
}

/** States in which a task still holds, or waits for, a place on the cluster. */
export const ACTIVE_SLURM_STATES = new Set([
  'PENDING',
  'CONFIGURING',
  'RUNNING',
  'COMPLETING',
  'SUSPENDED',
  'REQUEUED',
  'RESIZING',
  'SIGNALING',
  'STAGE_OUT',
]);
