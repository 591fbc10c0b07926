import * as vscode from 'vscode';
import type { RunListing } from '../../core/runs/listRuns';
import type { Run } from '../host/runService';
import type { Lab } from '../lab';
import type { RunNode } from '../views/runsTree';

const isExperiment = (uri: vscode.Uri) => uri.scheme === 'file' && uri.path.endsWith('.denoise.json');

/**
 * The experiment a command acts on: the file it was invoked on (explorer, editor title, experiments
 * tree), else the active editor's, else the only one visible (the dashboard beside it may have focus),
 * else one picked from the workspace.
 */
export async function pickExperiment(lab: Lab, arg: unknown, placeHolder: string): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri && isExperiment(arg)) return arg;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && isExperiment(active)) return active;
  const visible = vscode.window.visibleTextEditors.map((e) => e.document.uri).filter(isExperiment);
  if (visible.length === 1) return visible[0];
  const files = await lab.experimentFiles();
  if (files.length === 0) {
    const choice = await vscode.window.showInformationMessage(
      'There is no *.denoise.json experiment in this workspace.',
      'New Experiment',
    );
    if (choice) await vscode.commands.executeCommand('denoiseLab.newExperiment');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    files.map((uri) => ({ label: vscode.workspace.asRelativePath(uri, false), uri })),
    { placeHolder },
  );
  return picked?.uri;
}

/** Saves the experiment's editor if it has unsaved changes: the trainer reads the file. False if it cannot be run. */
export async function savedForRun(file: vscode.Uri): Promise<boolean> {
  const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === file.toString());
  if (!document?.isDirty) return true;
  return document.save();
}

/** The run folder a command was invoked on: a runs tree row, a path, or the active run's folder. */
export function runDirOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  const node = arg as RunNode | undefined;
  if (node?.kind === 'saved') return node.listing.runDir;
  if (node?.kind === 'live') return node.run.runDir;
  return undefined;
}

/** The run folders a command was invoked on: a sweep's row stands for all its runs, else as runDirOf. */
export function runDirsOf(arg: unknown): string[] {
  const node = arg as RunNode | undefined;
  if (node?.kind === 'sweep') return node.runs.map((r) => r.runDir);
  const one = runDirOf(arg);
  return one ? [one] : [];
}

/** Runs picked from the run folders on disk (several when `many`). */
export async function pickSavedRuns(lab: Lab, placeHolder: string, many: boolean): Promise<RunListing[]> {
  const runs = await lab.savedRuns();
  if (runs.length === 0) {
    void vscode.window.showInformationMessage('There are no runs yet: run an experiment first.');
    return [];
  }
  const items = runs.map((listing) => ({
    label: listing.name,
    description: `${listing.status}${listing.summary?.metrics ? ` · ${listing.summary.metrics.test.denoised.psnr.toFixed(2)} dB` : ''}`,
    detail: listing.runDir,
    listing,
  }));
  if (!many) {
    const one = await vscode.window.showQuickPick(items, { placeHolder });
    return one ? [one.listing] : [];
  }
  return ((await vscode.window.showQuickPick(items, { placeHolder, canPickMany: true })) ?? []).map((i) => i.listing);
}

/** A run of this session that can be stopped: the one invoked on, the only active one, or one picked. */
export async function pickActiveRun(lab: Lab, arg: unknown): Promise<Run | undefined> {
  if (typeof arg === 'string') return lab.service.runs.find((r) => r.id === arg);
  const node = arg as RunNode | undefined;
  if (node?.kind === 'live') return node.run;
  const active = lab.service.runs.filter((r) => r.phase !== 'ended');
  if (active.length <= 1) return active[0];
  const picked = await vscode.window.showQuickPick(
    active.map((run) => ({ label: run.name, description: run.phase, detail: run.configFile, run })),
    { placeHolder: 'Stop which run?' },
  );
  return picked?.run;
}
