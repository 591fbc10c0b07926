/**
 * The Denoise Lab extension host entry (bundled to dist/extension.js). It never loads TensorFlow.js:
 * training and noise previews run in trainer child processes (dist/trainer.js).
 */
import * as vscode from 'vscode';
import { reattachApplies } from './commands/denoiseImage';
import { watchRunImageFolders } from './commands/openInBeforeAfterView';
import { registerCommands } from './commands/registerCommands';
import { showNoisePreview } from './commands/viewCommands';
import { previewToRefresh } from './host/previewRefresh';
import { hasSweepSection } from './host/sweepTarget';
import { configDiagnostics } from './host/configDiagnostics';
import { keyForPageMessage, keyForRunUpdate, WALKTHROUGH_KEYS } from './host/walkthroughSteps';
import { readRunStatus } from '../core/runs/runStatus';
import { RunService } from './host/runService';
import { currentSettings, Lab } from './lab';
import { registerConfigProblems } from './ui/configProblems';
import { registerSchemaHover } from './ui/schemaHover';
import { createRunsStatusBar } from './ui/statusBar';
import { showRunEnded } from './ui/runNotifications';
import { EXPERIMENTS_VIEW_ID, ExperimentsTree } from './views/experimentsTree';
import { RUNS_VIEW_ID, RunsTree } from './views/runsTree';
import { DASHBOARD_VIEW_TYPE, DashboardPanel } from './webviews/dashboardPanel';
import { RECONSTRUCTIONS_VIEW_ID, ReconstructionsViewProvider } from './webviews/reconstructionsView';
import { WebviewHub } from './webviews/webviewHub';

let service: RunService | undefined;
let openLab: Lab | undefined;

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
    log: (line, level) => (level === 'error' ? log.error(line) : log.info(line)),
  });
  service = runService;
  const lab = new Lab(context, runService, log);
  openLab = lab;

  const experiments = new ExperimentsTree(lab);
  const runs = new RunsTree(lab);
  const step = (key: string | undefined) => {
    if (key) void vscode.commands.executeCommand('setContext', key, true);
  };
  const hub: WebviewHub = new WebviewHub(
    lab,
    () => void vscode.commands.executeCommand('denoiseLab.previewNoise'),
    (m) => step(keyForPageMessage(m)),
  );
  const watcher = vscode.workspace.createFileSystemWatcher('**/*.denoise.json');
  const runsView = vscode.window.createTreeView(RUNS_VIEW_ID, { treeDataProvider: runs });

  context.subscriptions.push(
    log,
    watcher,
    { dispose: () => lab.slurmSweeps.dispose() },
    registerCommands(lab, hub, { experiments, runs }),
    watchRunImageFolders(lab, runs.onDidChangeTreeData),
    registerConfigProblems(),
    registerSchemaHover(context.asAbsolutePath('schema/denoise-experiment.schema.json')),
    vscode.window.registerTreeDataProvider(EXPERIMENTS_VIEW_ID, experiments),
    runsView,
    runsView.onDidChangeSelection(({ selection }) => {
      const node = selection[0];
      if (node?.kind === 'saved') void hub.showSelectedRun(node.listing.runDir);
    }),
    vscode.window.registerWebviewViewProvider(
      RECONSTRUCTIONS_VIEW_ID,
      new ReconstructionsViewProvider(context.extensionUri, hub),
    ),
    vscode.window.registerWebviewPanelSerializer(DASHBOARD_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel) => DashboardPanel.revive(panel, context.extensionUri, hub),
    }),
    createRunsStatusBar(runService),
    runService.onUpdate((update) => {
      hub.runUpdated(update);
      runs.runUpdated(update);
      if (update.kind === 'ended') void showRunEnded(lab, update.run);
      step(keyForRunUpdate(update));
      // A new run's preview shows the noise it trains on (its overrides), not whatever was previewed last.
      const { run } = update;
      const refresh =
        update.kind === 'started' && !run.configFile.endsWith('config.json')
          ? previewToRefresh(hub.shownPreview, {
              runStarted: { configFile: run.configFile, overrides: run.overrides ?? [] },
            })
          : undefined;
      if (refresh) void showNoisePreview(lab, hub, refresh);
    }),
    watcher.onDidCreate(() => (lab.forgetExperimentFiles(), experiments.refresh())),
    watcher.onDidDelete(() => (lab.forgetExperimentFiles(), experiments.refresh())),
    watcher.onDidChange(() => experiments.refresh()),
    vscode.workspace.onDidChangeWorkspaceFolders(() => (lab.forgetExperimentFiles(), experiments.refresh())),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('denoiseLab.maxParallelRuns'))
        runService.setMaxParallel(currentSettings().maxParallelRuns);
      if (e.affectsConfiguration('denoiseLab.runsFolder')) {
        lab.forgetExperimentFiles();
        runs.refresh();
      }
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => experiments.refresh()),
    vscode.workspace.onDidSaveTextDocument((document) => {
      if (document.uri.path.endsWith('.denoise.json') && configDiagnostics(document.getText()).length === 0)
        step(WALKTHROUGH_KEYS.editExperiment);
      const refresh = previewToRefresh(hub.shownPreview, { saved: document.uri.fsPath });
      if (refresh && vscode.workspace.isTrusted) void showNoisePreview(lab, hub, refresh);
    }),
  );
  void reattachLiveRuns(lab);
  reattachApplies(lab);
  // The editor title's Run Sweep button shows on experiments that have a sweep section.
  const sweepContext = () => {
    const document = vscode.window.activeTextEditor?.document;
    const has = document?.uri.path.endsWith('.denoise.json') === true && hasSweepSection(document.getText());
    void vscode.commands.executeCommand('setContext', 'denoiseLab.editorHasSweep', has);
  };
  sweepContext();
  context.subscriptions.push(
    vscode.window.onDidChangeActiveTextEditor(sweepContext),
    vscode.workspace.onDidSaveTextDocument(sweepContext),
  );
}

/** Runs an earlier window started (it reloaded) and whose trainers still train: followed again, with Stop. */
async function reattachLiveRuns(lab: Lab): Promise<void> {
  for (const listing of await lab.savedRuns()) {
    const status = listing.status === 'running' ? readRunStatus(listing.runDir) : undefined;
    if (status?.status !== 'running') continue;
    lab.service.attach(listing.runDir, { name: listing.name, pid: status.pid });
  }
}

/**
 * The window reloads or closes: running trainers go on (they write their run folders; the next window
 * reattaches, see reattachLiveRuns), and only the queue, which no process holds, is dropped. Applies go on
 * too, keeping their progress records for the next window (reattachApplies).
 */
export function deactivate(): void {
  service?.releaseAll();
  openLab?.applies.releaseAll();
}
