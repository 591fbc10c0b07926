import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { formatProblem, type ConfigProblem } from '../../core/config/configError';
import { parseJsonText, resolveConfig } from '../../core/config/loadConfig';
import { hasSweepSection } from '../host/sweepTarget';
import type { Lab } from '../lab';

export const EXPERIMENTS_VIEW_ID = 'denoiseLab.experiments';

/** The problems of an experiment file as saved, for the tree's warning icon. */
function fileProblems(file: vscode.Uri): readonly ConfigProblem[] {
  try {
    const parsed = parseJsonText(readFileSync(file.fsPath, 'utf8'));
    return parsed.ok ? resolveConfig(parsed.value).problems : [parsed.problem];
  } catch (err) {
    return [{ path: '', message: (err as Error).message }];
  }
}

function hasSweep(file: vscode.Uri): boolean {
  try {
    return hasSweepSection(readFileSync(file.fsPath, 'utf8'));
  } catch {
    return false;
  }
}

/** The experiment files (*.denoise.json) of the workspace; a file with schema errors shows a warning. */
export class ExperimentsTree implements vscode.TreeDataProvider<vscode.Uri> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly lab: Lab) {}

  refresh(): void {
    this.changed.fire();
  }

  getChildren(element?: vscode.Uri): Promise<vscode.Uri[]> | vscode.Uri[] {
    return element ? [] : this.lab.experimentFiles();
  }

  getTreeItem(file: vscode.Uri): vscode.TreeItem {
    const item = new vscode.TreeItem(
      basename(file.fsPath).replace(/\.denoise\.json$/, ''),
      vscode.TreeItemCollapsibleState.None,
    );
    item.resourceUri = file;
    item.description = vscode.workspace.asRelativePath(file, false);
    // An experiment with a sweep section gets the Run Sweep button beside Run Experiment's.
    item.contextValue = hasSweep(file) ? 'experiment.sweep' : 'experiment';
    item.command = { command: 'vscode.open', title: 'Open', arguments: [file] };
    const problems = fileProblems(file);
    if (problems.length) {
      item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
      item.tooltip = `${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map(formatProblem).join('\n')}`;
    } else {
      item.iconPath = new vscode.ThemeIcon('beaker');
      item.tooltip = file.fsPath;
    }
    return item;
  }
}
