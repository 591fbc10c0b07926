import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { ConfigError } from '../../core/config/configError';
import { loadSweep } from '../../core/sweep/expandSweep';
import { experimentRunsDir } from '../host/runsFolders';
import { submitSweep } from '../host/sweepRuns';
import { hasSweepSection, sweepFileFrom, sweepRefusal } from '../host/sweepTarget';
import type { Lab } from '../lab';
import type { RunNode } from '../views/runsTree';
import { pickExperiment, savedForRun } from './pickTargets';
import { pickWhere, submitToSlurm } from './runSweepOnSlurm';

/**
 * Denoise Lab: Run Sweep. Expands the experiment's `sweep` section (every run checked before any starts),
 * queues its runs in the run service like any run (denoiseLab.maxParallelRuns at a time), and when all
 * have ended writes results.md and results.csv into the sweep's folder and opens the table.
 */
/**
 * The experiment whose sweep to run: the file invoked on, else the open experiment that has a sweep section
 * (the focused editor may be another experiment, or the dashboard), else one picked among those with one.
 */
async function pickSweepExperiment(lab: Lab, arg: unknown): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  // The ▷ of a sweep's row in the Runs view: the experiment file it came from.
  const node = arg as RunNode | undefined;
  if (node?.kind === 'sweep' && node.sweep.file) return vscode.Uri.file(node.sweep.file);
  const open = [vscode.window.activeTextEditor, ...vscode.window.visibleTextEditors]
    .map((e) => e?.document)
    .filter(
      (d): d is vscode.TextDocument =>
        d !== undefined && d.uri.scheme === 'file' && d.uri.path.endsWith('.denoise.json'),
    );
  const chosen = sweepFileFrom(open.map((d) => ({ path: d.uri.fsPath, text: d.getText() })));
  if (chosen) return vscode.Uri.file(chosen);
  const files = (await lab.experimentFiles()).filter((uri) => {
    try {
      return hasSweepSection(readFileSync(uri.fsPath, 'utf8'));
    } catch {
      return false;
    }
  });
  if (files.length === 0)
    return pickExperiment(lab, undefined, 'No experiment here has a sweep section; which one should get one?');
  const picked = await vscode.window.showQuickPick(
    files.map((uri) => ({ label: vscode.workspace.asRelativePath(uri, false), uri })),
    { placeHolder: 'Run the sweep of which experiment?' },
  );
  return picked?.uri;
}

export async function runSweep(lab: Lab, arg?: unknown): Promise<void> {
  const file = await pickSweepExperiment(lab, arg);
  if (!file || !(await savedForRun(file))) return;
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage(
      'Denoise Lab does not start runs in an untrusted workspace. Trust the workspace to run sweeps.',
    );
    return;
  }
  const request = lab.runRequest(file);
  let plan;
  try {
    plan = loadSweep(file.fsPath);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    lab.log.error(err.message);
    void vscode.window
      .showErrorMessage(sweepRefusal(file.fsPath, err.problems), 'Show Log')
      .then((choice) => choice && lab.showLog());
    return;
  }
  const runsDir = request.runsDir ?? experimentRunsDir(file.fsPath, undefined);
  const where = await pickWhere();
  if (!where) return;
  if (where === 'slurm') return submitToSlurm(lab, file.fsPath, request.overrides, runsDir);
  const sweep = submitSweep(lab.service, { plan, runsDir, settingsOverrides: request.overrides });
  lab.log.info(`Sweep ${plan.name}: ${plan.runs.length} run(s) queued; results go to ${sweep.folder}`);
  void vscode.window.showInformationMessage(
    `Denoise Lab: sweep ${plan.name} queued ${plan.runs.length} run(s). The results table opens when all have ended.`,
  );
  const { outcomes, files } = await sweep.done;
  const failed = outcomes.filter((o) => o.status !== 'completed' && o.status !== 'earlyStopped').length;
  lab.log.info(
    `Sweep ${plan.name} ended: ${outcomes.length - failed} of ${outcomes.length} completed. ${files.markdown}`,
  );
  // Rendered, not as Markdown source: it is a table to read.
  await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.file(files.markdown));
  if (failed > 0)
    void vscode.window.showWarningMessage(
      `Denoise Lab: ${failed} run(s) of sweep ${plan.name} did not complete; see ${dirname(files.markdown)}.`,
    );
}
