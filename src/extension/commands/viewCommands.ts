import { join, relative } from 'node:path';
import * as vscode from 'vscode';
import type { Lab } from '../lab';
import { noisePreviewMessage } from '../host/noisePreview';
import type { PreviewTarget } from '../host/previewRefresh';
import { DashboardPanel } from '../webviews/dashboardPanel';
import type { WebviewHub } from '../webviews/webviewHub';
import type { RunNode } from '../views/runsTree';
import { pickExperiment, pickSavedRuns, runDirOf, runDirsOf } from './pickTargets';

/** How many test images the noise preview shows per column. */
const PREVIEW_IMAGES = 8;

/** Denoise Lab: Open Dashboard. */
export function openDashboard(lab: Lab, hub: WebviewHub): void {
  DashboardPanel.show(lab.context.extensionUri, hub);
}

/**
 * Denoise Lab: Preview Noise. The dashboard shows the experiment's test images clean, after each noise
 * step and combined, computed in a trainer process from the editor's text (saved or not).
 */
export async function previewNoise(lab: Lab, hub: WebviewHub, arg?: unknown): Promise<void> {
  // A preview reads the dataset files the experiment names: not in a workspace the user has not trusted.
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage(
      'Denoise Lab previews noise only in a trusted workspace: the preview reads the dataset files the experiment names.',
    );
    return;
  }
  const file = await pickExperiment(lab, arg, 'Preview the noise of which experiment?');
  if (!file) return;
  DashboardPanel.show(lab.context.extensionUri, hub);
  await showNoisePreview(lab, hub, { configFile: file.fsPath, overrides: [] });
}

/** Computes the noise preview of an experiment (the editor's text when unsaved) and sends it to the pages. */
export async function showNoisePreview(lab: Lab, hub: WebviewHub, target: PreviewTarget): Promise<void> {
  const document = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === target.configFile);
  const message = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'Denoise Lab: noise preview' },
    () =>
      noisePreviewMessage(
        {
          configFile: target.configFile,
          configText: document?.isDirty ? document.getText() : undefined,
          overrides: [...target.overrides],
          count: PREVIEW_IMAGES,
        },
        { trainerPath: lab.service.trainerPath, onOutput: (line) => lab.log.info(`[preview] ${line}`) },
      ),
  );
  hub.broadcast(message);
}

/** Denoise Lab: Compare Runs. Opens the dashboard with the runs invoked on, or those picked. */
export async function compareRuns(lab: Lab, hub: WebviewHub, arg?: unknown): Promise<void> {
  const invoked = runDirsOf(arg);
  const runDirs = invoked.length
    ? invoked
    : (await pickSavedRuns(lab, 'Compare which runs?', true)).map((r) => r.runDir);
  if (runDirs.length === 0) return;
  DashboardPanel.show(lab.context.extensionUri, hub, await hub.comparison(runDirs));
}

/** Denoise Lab: Open Run Folder. Reveals it in the explorer when it is in the workspace, else in the OS. */
export async function openRunFolder(lab: Lab, arg?: unknown): Promise<void> {
  const runDir = runDirOf(arg) ?? (await pickSavedRuns(lab, 'Open which run folder?', false))[0]?.runDir;
  if (!runDir) return;
  const uri = vscode.Uri.file(runDir);
  const inWorkspace = (vscode.workspace.workspaceFolders ?? []).some(
    (f) => !relative(f.uri.fsPath, runDir).startsWith('..'),
  );
  await vscode.commands.executeCommand(inWorkspace ? 'revealInExplorer' : 'revealFileInOS', uri);
}

/** Denoise Lab: Open Sweep Results. The sweep's results table, rendered (not as Markdown source). */
export async function openSweepResults(arg?: unknown): Promise<void> {
  const node = arg as RunNode | undefined;
  if (node?.kind !== 'sweep') return;
  await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.file(join(node.sweep.folder, 'results.md')));
}
