import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import type { RunListing } from '../../core/runs/listRuns';
import type { SweepGroup } from '../../app/sweep/sweepGroups';
import { liveRunLabel, savedRunLabel, type RunLabel } from '../host/runLabels';
import type { Run, RunUpdate } from '../host/runService';
import type { SlurmTask } from '../host/slurmSweepWatcher';
import { slurmTaskLabel } from '../host/slurmTaskLabel';
import { savedRunsTree } from '../host/savedRunsTree';
import { monthLabel, sweepChildLabel, sweepNodeLabel, type SavedRow } from '../host/sweepNode';
import type { Lab } from '../lab';

export const RUNS_VIEW_ID = 'denoiseLab.runs';

/**
 * A row of the runs tree: a run of this session still active, a task of a sweep on Slurm, a sweep (its
 * run folders under it), a run folder on disk (`sweep`: the sweep it belongs to), or a month of older rows.
 */
export type RunNode =
  | { readonly kind: 'live'; readonly run: Run }
  | { readonly kind: 'slurm'; readonly task: SlurmTask }
  | { readonly kind: 'sweep'; readonly sweep: SweepGroup; readonly runs: readonly RunListing[] }
  | { readonly kind: 'saved'; readonly listing: RunListing; readonly sweep?: SweepGroup }
  | Extract<SavedRow, { kind: 'month' }>;

/** Progress updates refresh the tree at most this often. */
const PROGRESS_REFRESH_MS = 1000;

/**
 * Runs: those queued or training now (with progress) first, then the run folders, newest first, a sweep's
 * runs grouped under the sweep (placed by its newest run).
 * Progress refreshes only the live rows, at most once a second, so training never makes the extension
 * host re-read every run folder.
 */
export class RunsTree implements vscode.TreeDataProvider<RunNode> {
  private readonly changed = new vscode.EventEmitter<RunNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** Every saved run folder, each time the view lists them. */
  private readonly listed = new vscode.EventEmitter<readonly RunListing[]>();
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

  /**
   * The saved runs of the view's next listing, so a caller that needs them too (the pages' run list) does not
   * read 1,000 run folders a second time; undefined when the view does not list them within `ms` (it is hidden).
   */
  nextListing(ms: number): Promise<readonly RunListing[] | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => (subscription.dispose(), resolve(undefined)), ms);
      const subscription = this.listed.event((saved) => {
        clearTimeout(timer);
        subscription.dispose();
        resolve(saved);
      });
    });
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
    if (element?.kind === 'sweep')
      return element.runs.map((listing) => ({ kind: 'saved', listing, sweep: element.sweep }) as const);
    if (element?.kind === 'month') return [...element.rows];
    if (element) return [];
    const active = this.lab.service.runs.filter((r) => r.phase !== 'ended').reverse();
    this.liveNodes.clear();
    for (const run of active) this.liveNodes.set(run.id, { kind: 'live', run });
    const runsFolders = await this.lab.runsFolders();
    this.lab.slurmSweeps.discover(runsFolders);
    const slurm = this.lab.slurmSweeps.tasks;
    // A Slurm task's run folder is shown by its task row, which knows it is alive on another machine.
    const activeDirs = new Set([...active.map((r) => r.runDir), ...slurm.map((t) => t.view.runDir)]);
    const all = await this.lab.savedRuns(runsFolders);
    this.listed.fire(all);
    const saved = all.filter((l) => !activeDirs.has(l.runDir));
    const tree = savedRunsTree(saved, runsFolders);
    this.labels = tree.labels;
    return [...this.liveNodes.values(), ...slurm.map((task) => ({ kind: 'slurm', task }) as const), ...tree.rows];
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
    } else if (node.kind === 'month') {
      label = {
        description: `${node.runs} run${node.runs === 1 ? '' : 's'}`,
        tooltip: `Runs started in ${monthLabel(node.month)}, newest first`,
        icon: 'calendar',
      };
      item = new vscode.TreeItem(monthLabel(node.month), vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `month:${node.month}`;
      item.contextValue = 'month';
    } else if (node.kind === 'sweep') {
      const sweep = sweepNodeLabel(node.sweep, node.runs);
      label = sweep;
      item = new vscode.TreeItem(sweep.label, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `sweep:${node.sweep.folder}`;
      // ▷ re-runs the sweep while its experiment file is there.
      item.contextValue = node.sweep.file && existsSync(node.sweep.file) ? 'sweep.rerunnable' : 'sweep';
    } else {
      label = savedRunLabel(node.listing);
      const labelled = this.labels.get(node.listing.runDir) ?? node.listing.name;
      const entry = node.sweep?.runs.find((r) => r.runDir === node.listing.runDir);
      item = new vscode.TreeItem(
        node.sweep ? sweepChildLabel(node.sweep.name, entry, node.listing, labelled) : labelled,
      );
      item.id = `saved:${node.listing.runDir}`;
      // Interrupted runs get their own value so the menu can offer Resume on them only.
      item.contextValue = node.listing.status === 'interrupted' ? 'run.saved.interrupted' : 'run.saved';
      item.command = { command: 'denoiseLab.compareRuns', title: 'Show in Dashboard', arguments: [node] };
    }
    item.description = label.description;
    item.tooltip = label.tooltip;
    item.iconPath = new vscode.ThemeIcon(label.icon);
    return item;
  }
}
