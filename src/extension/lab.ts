import { dirname, isAbsolute, relative } from 'node:path';
import * as vscode from 'vscode';
import type { RunListing } from '../core/runs/listRuns';
import { listSavedRuns } from '../app/runs/savedRuns';
import { ApplyService } from './host/applyService';
import { experimentRunsDir } from './host/runsFolders';
import type { RunRequest, RunService } from './host/runService';
import { readSettings, settingsOverrides, settingsRunsDir, type DenoiseSettings } from './host/runSettings';
import { SlurmSweepWatcher } from './host/slurmSweepWatcher';

const EXPERIMENTS_GLOB = '**/*.denoise.json';
const EXCLUDED = ['**/node_modules/**', '**/denoise-runs/**', '**/.git/**'];

/**
 * What the search for experiment files skips: besides EXCLUDED, a denoiseLab.runsFolder inside a workspace
 * folder, whose thousand run folders the search would otherwise walk on every refresh of the Runs view.
 */
function excludedFromSearch(settings: DenoiseSettings): string {
  const patterns = [...EXCLUDED];
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const runs = settingsRunsDir(settings, folder.uri.fsPath);
    const inside = runs && relative(folder.uri.fsPath, runs);
    if (inside && !inside.startsWith('..') && !isAbsolute(inside)) patterns.push(`${inside.replace(/\\/g, '/')}/**`);
  }
  return `{${patterns.join(',')}}`;
}

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
  private experimentList: Promise<vscode.Uri[]> | undefined;

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

  /**
   * The workspace's experiment files, sorted. A workspace search takes 200-500 ms in code-server on the 2-core
   * machine (bench:runs-view), and the Runs view asks on every refresh, so the answer is kept until
   * forgetExperimentFiles (a file created or deleted, the runs folder setting or the workspace folders changed).
   */
  experimentFiles(): Promise<vscode.Uri[]> {
    this.experimentList ??= Promise.resolve(
      vscode.workspace.findFiles(EXPERIMENTS_GLOB, excludedFromSearch(this.settings())),
    ).then(
      (files) => files.sort((a, b) => a.fsPath.localeCompare(b.fsPath)),
      (err: unknown) => {
        this.experimentList = undefined;
        throw err;
      },
    );
    return this.experimentList;
  }

  forgetExperimentFiles(): void {
    this.experimentList = undefined;
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

  /** Run folders on disk, newest first (in `folders`, when the caller has just listed them). */
  async savedRuns(folders?: readonly string[]): Promise<RunListing[]> {
    return listSavedRuns(folders ?? (await this.runsFolders()));
  }

  /** A run folder from a page or a command argument, accepted only when it is one of the known runs. */
  async knownRun(runDir: string): Promise<RunListing | undefined> {
    return (await this.savedRuns()).find((r) => r.runDir === runDir);
  }

  showLog(): void {
    this.log.show(true);
  }
}
