import type { RunLabel } from './runLabels';
import type { SlurmTask } from './slurmSweepWatcher';

/** A task of a sweep on Slurm in the Runs view: Slurm's state, its run's epoch and last validation PSNR. */
export function slurmTaskLabel(task: SlurmTask): RunLabel {
  const { view } = task;
  const parts: string[] = [];
  if (view.status === 'pending') parts.push(`queued on Slurm${view.slurmReason ? ` (${view.slurmReason})` : ''}`);
  else parts.push(`running on ${view.node || 'Slurm'}`);
  if (view.status === 'running' && view.epoch !== undefined && view.epochs)
    parts.push(`epoch ${view.epoch}/${view.epochs}`);
  if (task.valPsnr !== undefined) parts.push(`val ${task.valPsnr.toFixed(2)} dB`);
  parts.push(`job ${view.jobId}_${view.index}`);
  const description = parts.join(' · ');
  const lines = [`${view.label}: ${description}`, `Sweep folder: ${task.folder}`];
  if (view.runDir) lines.push(view.runDir);
  lines.push('Stop cancels this task (scancel); `denoise sweep --resume` continues it later.');
  return { description, icon: view.status === 'pending' ? 'clock' : 'sync~spin', tooltip: lines.join('\n') };
}
