import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { ConfigError } from '../../core/config/configError';
import { loadSweep } from '../../core/sweep/expandSweep';
import { experimentRunsDir } from '../host/runsFolders';
import { submitSweep } from '../host/sweepRuns';
import type { Lab } from '../lab';
import { pickExperiment, savedForRun } from './pickTargets';
import { pickWhere, submitToSlurm } from './runSweepOnSlurm';

/**
 * Denoise Lab: Run Sweep. Expands the experiment's `sweep` section (every run checked before any starts),
 * queues its runs in the run service like any run (denoiseLab.maxParallelRuns at a time), and when all
 * have ended writes results.md and results.csv into the sweep's folder and opens the table.
 */
export async function runSweep(lab: Lab, arg?: unknown): Promise<void> {
  const file = await pickExperiment(lab, arg, 'Run the sweep of which experiment?');
  if (!file || !(await savedForRun(file))) return;
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('Denoise Lab does not start runs in an untrusted workspace. Trust the workspace to run sweeps.');
    return;
  }
  const request = lab.runRequest(file);
  let plan;
  try {
    plan = loadSweep(file.fsPath);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    lab.log.error(err.message);
    void vscode.window.showErrorMessage(`${err.problems.length === 1 ? err.problems[0].path || 'The sweep' : 'The sweep'} cannot run: ${err.problems[0]?.message ?? err.message}`, 'Show Log').then(
      (choice) => choice && lab.showLog(),
    );
    return;
  }
  const runsDir = request.runsDir ?? experimentRunsDir(file.fsPath, undefined);
  const where = await pickWhere();
  if (!where) return;
  if (where === 'slurm') return submitToSlurm(lab, file.fsPath, request.overrides, runsDir);
  const sweep = submitSweep(lab.service, { plan, runsDir, settingsOverrides: request.overrides });
  lab.log.info(`Sweep ${plan.name}: ${plan.runs.length} run(s) queued; results go to ${sweep.folder}`);
  void vscode.window.showInformationMessage(`Denoise Lab: sweep ${plan.name} queued ${plan.runs.length} run(s). The results table opens when all have ended.`);
  const { outcomes, files } = await sweep.done;
  const failed = outcomes.filter((o) => o.status !== 'completed' && o.status !== 'earlyStopped').length;
  lab.log.info(`Sweep ${plan.name} ended: ${outcomes.length - failed} of ${outcomes.length} completed. ${files.markdown}`);
  await vscode.window.showTextDocument(vscode.Uri.file(files.markdown), { preview: false });
  if (failed > 0) void vscode.window.showWarningMessage(`Denoise Lab: ${failed} run(s) of sweep ${plan.name} did not complete; see ${dirname(files.markdown)}.`);
}
