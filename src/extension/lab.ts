import { dirname } from 'node:path';
import * as vscode from 'vscode';
import type { RunListing } from '../core/runs/listRuns';
import { listSavedRuns } from '../app/runs/savedRuns';
import { ApplyService } from './host/applyService';
import { experimentRunsDir } from './host/runsFolders';
import type { RunRequest, RunService } from './host/runService';
import { readSettings, settingsOverrides, settingsRunsDir, type DenoiseSettings } from './host/runSettings';
import { SlurmSweepWatcher } from './host/slurmSweepWatcher';

const EXPERIMENTS_GLOB = '**/*.denoise.json';
const EXCLUDED = '**/{node_modules,denoise-runs,.git}/**';

/** The denoiseLab.* settings as they are now. */
export function currentSettings(): DenoiseSettings {
  const config = vscode.workspace.getConfiguration('denoiseLab');
  return readSettings((key) => config.get(key));
}

/** What the commands, views and pages share: the run service, the log, the settings, the workspace's runs. */
export class Lab {
  /** The sweeps on Slurm whose tasks the Runs view follows. */
  readonly slurmSweeps = new SlurmSweepWatcher();
  private applyService: ApplyService | undefined;

  constructor(
    readonly context: vscode.ExtensionContext,
    readonly service: RunService,
    readonly log: vscode.LogOutputChannel,
  ) {}

  /** Denoise Image…'s trainer processes; their progress records live in this workspace's storage. */
  get applies(): ApplyService {
    this.applyService ??= new ApplyService({
      trainerPath: this.context.asAbsolutePath('dist/trainer.js'),
      recordsDir: vscode.Uri.joinPath(this.context.storageUri ?? this.context.globalStorageUri, 'applies').fsPath,
      log: (line, level) => (level === 'error' ? this.log.error(line) : this.log.info(line)),
    });
    return this.applyService;
  }

  settings(): DenoiseSettings {
    return currentSettings();
  }

  /** The request for running an experiment file under the current settings. */
  runRequest(configFile: vscode.Uri): RunRequest {
    const settings = this.settings();
    return {
      configFile: configFile.fsPath,
      overrides: settingsOverrides(settings),
      runsDir: settingsRunsDir(settings, vscode.workspace.getWorkspaceFolder(configFile)?.uri.fsPath),
    };
  }

  async experimentFiles(): Promise<vscode.Uri[]> {
    const files = await vscode.workspace.findFiles(EXPERIMENTS_GLOB, EXCLUDED);
    return files.sort((a, b) => a.fsPath.localeCompare(b.fsPath));
  }

  /** Every runs folder worth listing: each experiment's, the settings', and those of this session's runs. */
  async runsFolders(): Promise<string[]> {
    const settings = this.settings();
    const folders = new Set<string>();
    for (const file of await this.experimentFiles()) {
      const workspaceFolder = vscode.workspace.getWorkspaceFolder(file)?.uri.fsPath;
      folders.add(experimentRunsDir(file.fsPath, settingsRunsDir(settings, workspaceFolder)));
    }
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const dir = settingsRunsDir(settings, folder.uri.fsPath);
      if (dir) folders.add(dir);
    }
    for (const run of this.service.runs) if (run.runDir) folders.add(dirname(run.runDir));
    return [...folders];
  }

  /** Run folders on disk, newest first. */
  async savedRuns(): Promise<RunListing[]> {
    return listSavedRuns(await this.runsFolders());
  }

  /** A run folder from a page or a command argument, accepted only when it is one of the known runs. */
  async knownRun(runDir: string): Promise<RunListing | undefined> {
    return (await this.savedRuns()).find((r) => r.runDir === runDir);
  }

  showLog(): void {
    this.log.show(true);
  }
}
