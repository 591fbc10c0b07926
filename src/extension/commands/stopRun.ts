import * as vscode from 'vscode';
import { cancelSlurmSweep } from '../../app/sweep/slurm/cancelSlurmSweep';
import type { Lab } from '../lab';
import type { RunNode } from '../views/runsTree';
import { pickActiveRun } from './pickTargets';

/** Denoise Lab: Stop Run. The run finishes its batch and writes its results; a second Stop ends it at once. */
export async function stopRun(lab: Lab, arg?: unknown): Promise<void> {
  const node = arg as RunNode | undefined;
  if (node?.kind === 'slurm') return cancelTask(lab, node);
  const run = await pickActiveRun(lab, arg);
  if (!run) {
    void vscode.window.showInformationMessage('No Denoise Lab run is active.');
    return;
  }
  lab.service.stop(run.id);
}

/** Stop on a task of a sweep on Slurm: scancel of that task; its run keeps its checkpoint for --resume. */
async function cancelTask(lab: Lab, node: Extract<RunNode, { kind: 'slurm' }>): Promise<void> {
  const { folder, view } = node.task;
  try {
    await cancelSlurmSweep(folder, [view.index]);
    lab.log.info(
      `Cancelled Slurm task ${view.jobId}_${view.index} (${view.label}); \`denoise sweep --resume ${folder}\` continues it.`,
    );
  } catch (err) {
    void vscode.window.showErrorMessage(`Denoise Lab: could not cancel ${view.label}: ${(err as Error).message}`);
  }
  await lab.slurmSweeps.poll();
}
