/**
 * The Denoise Lab extension host entry (bundled to dist/extension.js). It never loads TensorFlow.js:
 * training and noise previews run in trainer child processes (dist/trainer.js).
 */
import * as vscode from 'vscode';
import { registerCommands } from './commands/registerCommands';
import { RunService } from './host/runService';
import { currentSettings, Lab } from './lab';
import { createRunsStatusBar } from './ui/statusBar';
import { showRunEnded } from './ui/runNotifications';
import { EXPERIMENTS_VIEW_ID, ExperimentsTree } from './views/experimentsTree';
import { RUNS_VIEW_ID, RunsTree } from './views/runsTree';
import { DASHBOARD_VIEW_TYPE, DashboardPanel } from './webviews/dashboardPanel';
import { RECONSTRUCTIONS_VIEW_ID, ReconstructionsViewProvider } from './webviews/reconstructionsView';
import { WebviewHub } from './webviews/webviewHub';

let service: RunService | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Denoise Lab', { log: true });
  const runService = new RunService({
    trainerPath: context.asAbsolutePath('dist/trainer.js'),
    maxParallel: currentSettings().maxParallelRuns,
    isTrusted: () => vscode.workspace.isTrusted,
    pathPolicy: () => ({
      workspaceFolders: (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath),
      allowedPaths: vscode.workspace.getConfiguration('denoiseLab').get<string[]>('allowedPaths', []),
    }),
    log: (line) => log.info(line),
  });
  service = runService;
  const lab = new Lab(context, runService, log);

  const experiments = new ExperimentsTree(lab);
  const runs = new RunsTree(lab);
  const hub: WebviewHub = new WebviewHub(lab, () => void vscode.commands.executeCommand('denoiseLab.previewNoise'));
  const watcher = vscode.workspace.createFileSystemWatcher('**/*.denoise.json');
  const runsView = vscode.window.createTreeView(RUNS_VIEW_ID, { treeDataProvider: runs });

  context.subscriptions.push(
    log,
    watcher,
    { dispose: () => lab.slurmSweeps.dispose() },
    registerCommands(lab, hub, { experiments, runs }),
    vscode.window.registerTreeDataProvider(EXPERIMENTS_VIEW_ID, experiments),
    runsView,
    runsView.onDidChangeSelection(({ selection }) => {
      const node = selection[0];
      if (node?.kind === 'saved') void hub.showSelectedRun(node.listing.runDir);
    }),
    vscode.window.registerWebviewViewProvider(RECONSTRUCTIONS_VIEW_ID, new ReconstructionsViewProvider(context.extensionUri, hub)),
    vscode.window.registerWebviewPanelSerializer(DASHBOARD_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel) => DashboardPanel.revive(panel, context.extensionUri, hub),
    }),
    createRunsStatusBar(runService),
    runService.onUpdate((update) => {
      hub.runUpdated(update);
      runs.runUpdated(update);
      if (update.kind === 'ended') void showRunEnded(lab, update.run);
    }),
    watcher.onDidCreate(() => experiments.refresh()),
    watcher.onDidDelete(() => experiments.refresh()),
    watcher.onDidChange(() => experiments.refresh()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('denoiseLab.maxParallelRuns')) runService.setMaxParallel(currentSettings().maxParallelRuns);
      if (e.affectsConfiguration('denoiseLab.runsFolder')) runs.refresh();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => experiments.refresh()),
  );
}

/** VS Code gives deactivate a few seconds; trainers still running then finish on their own (see below). */
const DEACTIVATE_WAIT_MS = 3000;

/**
 * Asks every run to stop so no trainer outlives the window. A trainer also stops by itself when the
 * extension host goes away (its IPC channel closes) and still writes its results.
 */
export async function deactivate(): Promise<void> {
  if (!service) return;
  await Promise.race([service.stopAll(), new Promise((resolve) => setTimeout(resolve, DEACTIVATE_WAIT_MS))]);
}
