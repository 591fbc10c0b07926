import { resolve } from 'node:path';
import { readRunSummary } from '../../core/runs/listRuns';
import { readSlurmSweepFile } from '../../app/sweep/slurm/slurmSweepFile';
import { refreshSlurmSweep } from '../../app/sweep/slurm/slurmSweepResults';
import type { SlurmRunView } from '../../app/sweep/slurm/slurmSweepStatus';
import { EXIT } from '../../app/exitCodes';
import { formatTable } from '../../app/format';
import { toJsonLine } from './jsonOutput';

/** Slurm's state as a person reads it: "running on node3", "pending (Resources)". */
function slurmCell(v: SlurmRunView): string {
  const state = v.slurmState.toLowerCase().replace(/_/g, ' ');
  if (v.slurmState === 'RUNNING' && v.node) return `${state} on ${v.node}`;
  return v.slurmReason && v.slurmState === 'PENDING' ? `${state} (${v.slurmReason})` : state;
}

function trainingCell(v: SlurmRunView): string {
  const epochs = v.epoch !== undefined && v.epochs !== undefined ? ` ${v.epoch}/${v.epochs}` : '';
  return `${v.training}${v.training === 'not started' ? '' : epochs}`;
}

/** Prints one line per run (Slurm's state next to the training's) and each problem's message under the table. */
export function printSweepStatus(folder: string, views: readonly SlurmRunView[]): void {
  const sweep = readSlurmSweepFile(folder);
  const jobs = [...new Set(sweep.submissions.map((s) => s.jobId))].join(', ');
  const counts = new Map<string, number>();
  for (const v of views) counts.set(v.status, (counts.get(v.status) ?? 0) + 1);
  const rows = views.map((v) => {
    const test = v.runDir && v.status === 'completed' ? readRunSummary(v.runDir)?.metrics?.test.denoised : undefined;
    return [
      String(v.index + 1),
      v.label,
      v.status,
      slurmCell(v),
      trainingCell(v),
      test ? test.psnr.toFixed(2) : '-',
      v.jobId ? `${v.jobId}_${v.index}` : '-',
    ];
  });
  const summary = [...counts].map(([status, n]) => `${n} ${status}`).join(', ');
  const notes = views
    .filter((v) => v.message)
    .map((v) => `  ${v.index + 1}. ${v.label}: ${v.message?.replace(/\n/g, '\n     ')}`);
  process.stdout.write(
    `Sweep ${sweep.name} on Slurm (job ${jobs}): ${summary}\n` +
      `${formatTable(['#', 'run', 'status', 'slurm', 'training', 'test PSNR', 'task'], rows)}\n` +
      (notes.length ? `${notes.join('\n')}\n` : '') +
      `Results: ${resolve(folder, 'results.md')}\n`,
  );
}

/** `denoise sweep-status SWEEP_FOLDER`: each run's Slurm state and training state; rewrites the results table. */
export async function sweepStatusCommand(folder: string, options: { json: boolean }): Promise<number> {
  const absolute = resolve(folder);
  const { views, files } = await refreshSlurmSweep(absolute);
  if (options.json) process.stdout.write(toJsonLine({ folder: absolute, files, runs: views }));
  else printSweepStatus(absolute, views);
  return EXIT.ok;
}
