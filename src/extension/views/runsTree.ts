import * as vscode from 'vscode';
import { readRunConfig, type RunListing } from '../../core/runs/listRuns';
import { distinguishingLabels } from '../../app/runs/runDistinctions';
import { liveRunLabel, savedRunLabel, type RunLabel } from '../host/runLabels';
import type { Run, RunUpdate } from '../host/runService';
import type { SlurmTask } from '../host/slurmSweepWatcher';
import { slurmTaskLabel } from '../host/slurmTaskLabel';
import type { Lab } from '../lab';

export const RUNS_VIEW_ID = 'denoiseLab.runs';

/** A row of the runs tree: a run of this session still active, a task of a sweep on Slurm, or a run folder on disk. */
export type RunNode =
  | { readonly kind: 'live'; readonly run: Run }
  | { readonly kind: 'slurm'; readonly task: SlurmTask }
  | { readonly kind: 'saved'; readonly listing: RunListing };

/** Progress updates refresh the tree at most this often. */
const PROGRESS_REFRESH_MS = 1000;

/**
 * Runs: those queued or training now (with progress) first, then the run folders, newest first.
 * Progress refreshes only the live rows, at most once a second, so training never makes the extension
 * host re-read every run folder.
 */
export class RunsTree implements vscode.TreeDataProvider<RunNode> {
  private readonly changed = new vscode.EventEmitter<RunNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** The rows handed to VS Code for live runs: refreshing one row needs the same object. */
  private readonly liveNodes = new Map<string, RunNode>();
  private lastProgress = 0;
  /** Saved runs' labels, telling runs of the same name apart (start time, differing config fields). */
  private labels = new Map<string, string>();

  constructor(private readonly lab: Lab) {
    lab.slurmSweeps.onChange(() => this.refresh());
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  runUpdated(update: RunUpdate): void {
    if (update.kind !== 'event') return this.refresh();
    const node = this.liveNodes.get(update.run.id);
    if (node && Date.now() - this.lastProgress >= PROGRESS_REFRESH_MS) {
      this.lastProgress = Date.now();
      this.changed.fire(node);
    }
  }

  async getChildren(element?: RunNode): Promise<RunNode[]> {
    if (element) return [];
    const active = this.lab.service.runs.filter((r) => r.phase !== 'ended').reverse();
    this.liveNodes.clear();
    for (const run of active) this.liveNodes.set(run.id, { kind: 'live', run });
    this.lab.slurmSweeps.discover(await this.lab.runsFolders());
    const slurm = this.lab.slurmSweeps.tasks;
    // A Slurm task's run folder is shown by its task row, which knows it is alive on another machine.
    const activeDirs = new Set([...active.map((r) => r.runDir), ...slurm.map((t) => t.view.runDir)]);
    const saved = (await this.lab.savedRuns()).filter((l) => !activeDirs.has(l.runDir));
    this.labels = distinguishingLabels(
      saved.map((l) => ({ runDir: l.runDir, name: l.name, startedAt: l.startedAt, config: readRunConfig(l.runDir) })),
    );
    return [
      ...this.liveNodes.values(),
      ...slurm.map((task) => ({ kind: 'slurm', task }) as const),
      ...saved.map((listing) => ({ kind: 'saved', listing }) as const),
    ];
  }

  getTreeItem(node: RunNode): vscode.TreeItem {
    let label: RunLabel;
    let item: vscode.TreeItem;
    if (node.kind === 'live') {
      label = liveRunLabel(node.run, this.lab.service.queuePosition(node.run.id));
      item = new vscode.TreeItem(node.run.name);
      item.id = `live:${node.run.id}`;
      item.contextValue = `run.live.${node.run.phase}`;
      item.command = { command: 'denoiseLab.openDashboard', title: 'Show in Dashboard' };
    } else if (node.kind === 'slurm') {
      label = slurmTaskLabel(node.task);
      item = new vscode.TreeItem(node.task.view.label);
      item.id = `slurm:${node.task.folder}:${node.task.view.index}`;
      // run.live.*: the Stop button and menu apply; Stop cancels the task.
      item.contextValue = 'run.live.slurm';
    } else {
      label = savedRunLabel(node.listing);
      item = new vscode.TreeItem(this.labels.get(node.listing.runDir) ?? node.listing.name);
      item.id = `saved:${node.listing.runDir}`;
      // Interrupted runs get their own value so the menu can offer Resume on them only.
      item.contextValue = node.listing.status === 'interrupted' ? 'run.saved.interrupted' : 'run.saved';
      item.resourceUri = vscode.Uri.file(node.listing.runDir);
      item.command = { command: 'denoiseLab.compareRuns', title: 'Show in Dashboard', arguments: [node] };
    }
    item.description = label.description;
    item.tooltip = label.tooltip;
    item.iconPath = new vscode.ThemeIcon(label.icon);
    return item;
  }
}
