import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { runFile } from '../../core/runs/runFiles';
import { deleteRunFolder } from '../host/runFolderDelete';
import type { Lab } from '../lab';
import { pickSavedRuns, runDirOf } from './pickTargets';
import { showRefusal, showRunProgress } from '../ui/runNotifications';

/** Denoise Lab: Delete Run. Asks first (modal), then removes the run folder. */
export async function deleteRun(lab: Lab, arg?: unknown): Promise<void> {
  const runDir = runDirOf(arg) ?? (await pickSavedRuns(lab, 'Delete which run?', false))[0]?.runDir;
  if (!runDir || !(await lab.knownRun(runDir))) return;
  const choice = await vscode.window.showWarningMessage(
    `Delete the run folder ${runDir}? Its model, metrics and images are removed for good.`,
    { modal: true },
    'Delete',
  );
  if (choice !== 'Delete') return;
  const refused = deleteRunFolder(runDir);
  if (refused) void vscode.window.showErrorMessage(`Denoise Lab: ${refused}`);
  await vscode.commands.executeCommand('denoiseLab.refreshRuns');
}

/** Denoise Lab: Compare Run Configs. Two runs' resolved configs (every default filled in) in a diff editor. */
export async function diffConfigs(lab: Lab, arg?: unknown): Promise<void> {
  const first = runDirOf(arg);
  const picked = first ? [first] : [];
  const more = await pickSavedRuns(
    lab,
    first ? 'Compare its config with which run?' : 'Compare the configs of which two runs?',
    true,
  );
  const runDirs = [...picked, ...more.map((r) => r.runDir)].filter((d, i, all) => all.indexOf(d) === i);
  if (runDirs.length < 2) {
    if (runDirs.length === 1 || more.length)
      void vscode.window.showInformationMessage('Denoise Lab: pick two runs to compare their configs.');
    return;
  }
  const [a, b] = runDirs;
  const name = (dir: string) => dir.split(/[\\/]/).pop() ?? dir;
  await vscode.commands.executeCommand(
    'vscode.diff',
    vscode.Uri.file(runFile(a, 'config')),
    vscode.Uri.file(runFile(b, 'config')),
    `${name(a)} ↔ ${name(b)}`,
  );
}

/** Denoise Lab: Re-run. Trains again from a run's resolved config (config.json), into a new run folder. */
export async function rerun(lab: Lab, arg?: unknown): Promise<void> {
  const runDir = runDirOf(arg) ?? (await pickSavedRuns(lab, 'Run which run again?', false))[0]?.runDir;
  if (!runDir || !(await lab.knownRun(runDir))) return;
  const request = lab.runRequest(vscode.Uri.file(runFile(runDir, 'config')));
  // Into the runs folder the run is in, not a denoise-runs folder inside the run's own folder.
  const submitted = lab.service.submit({ ...request, runsDir: request.runsDir ?? dirname(runDir) });
  if (!submitted.ok) return showRefusal(lab, submitted);
  showRunProgress(lab.service, submitted.run);
}
