import { refreshSlurmSweep } from './slurmSweepResults';
import { runSlurm, slurmMessage, SlurmError } from './slurmCommands';
import { readSlurmSweepFile, writeSlurmSweepFile } from './slurmSweepFile';
import { viewSlurmSweep } from './slurmSweepStatus';
import { UNFINISHED } from '../sweepResults';

/**
 * Cancels a Slurm sweep's waiting and running tasks through scancel (all of them, or only the runs whose
 * indices are given), waits until Slurm has ended them, and rewrites the results table. A run stopped
 * midway keeps its checkpoint: `--resume` continues it.
 */
export async function cancelSlurmSweep(
  folder: string,
  indices?: readonly number[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ cancelled: number[]; targets: string[] }> {
  const sweep = readSlurmSweepFile(folder);
  for (const index of indices ?? []) {
    if (!sweep.runs.some((r) => r.index === index))
      throw new SlurmError(`the sweep has no run ${index + 1} (runs 1 to ${sweep.runs.length})`);
  }
  const views = await viewSlurmSweep(folder, sweep, env);
  const chosen = views.filter((v) => v.jobId && UNFINISHED.has(v.status) && (!indices || indices.includes(v.index)));
  if (chosen.length === 0) return { cancelled: [], targets: [] };
  // The whole array job in one word when the sweep is cancelled; one word per task when runs are named.
  const targets: string[] = [];
  for (const jobId of new Set(chosen.map((v) => v.jobId as string))) {
    if (!indices) targets.push(jobId);
    else targets.push(...chosen.filter((v) => v.jobId === jobId).map((v) => `${jobId}_${v.index}`));
  }
  const result = await runSlurm('scancel', targets, env);
  if (result.code !== 0) throw new SlurmError(`scancel refused: ${slurmMessage(result)}`);
  const keys = chosen.map((v) => `${v.jobId}_${v.index}`);
  writeSlurmSweepFile(folder, { ...sweep, cancelled: [...new Set([...(sweep.cancelled ?? []), ...keys])] });
  const ids = new Set(chosen.map((v) => v.index));
  for (let i = 0; i < 100; i++) {
    const { views: now } = await refreshSlurmSweep(folder, env);
    if (!now.some((v) => ids.has(v.index) && UNFINISHED.has(v.status))) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return { cancelled: [...ids], targets };
}
