import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { resultsExport, type ExportFormat } from '../../app/results/resultExports';
import { runRow } from '../../app/runs/runRow';
import type { Lab } from '../lab';
import { pickSavedRuns, runDirOf } from './pickTargets';

/**
 * Denoise Lab: Export Results. Writes the chosen runs as a table shaped like the seed report's (noise,
 * hyper-parameters, train/val/test MSE, PSNR, SSIM, time) to a CSV or Markdown file and opens it.
 */
export async function exportResults(lab: Lab, arg?: unknown, formatArg?: unknown): Promise<void> {
  const saved = await lab.savedRuns();
  const requested = Array.isArray(arg)
    ? arg.filter((d): d is string => typeof d === 'string')
    : [runDirOf(arg)].filter((d): d is string => d !== undefined);
  // Only known run folders are read, whatever a caller (a page, another extension) passed.
  const runs = requested.length
    ? saved.filter((r) => requested.includes(r.runDir))
    : await pickSavedRuns(lab, 'Export which runs?', true);
  if (runs.length === 0) return;
  const format: ExportFormat | undefined =
    formatArg === 'csv' || formatArg === 'markdown'
      ? formatArg
      : (
          await vscode.window.showQuickPick(
            [
              { label: 'CSV', format: 'csv' as const },
              { label: 'Markdown', format: 'markdown' as const },
            ],
            { placeHolder: 'Export as' },
          )
        )?.format;
  if (!format) return;
  const rows = runs.map((run) => runRow(run));
  const file = resultsExport(rows, format);
  const defaultFolder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? dirname(runs[0].runDir);
  const target = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.file(join(defaultFolder, file.fileName)),
    filters: format === 'csv' ? { CSV: ['csv'] } : { Markdown: ['md'] },
  });
  if (!target) return;
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(file.text));
  lab.log.info(`Exported ${rows.length} run(s) to ${target.fsPath}`);
  await vscode.window.showTextDocument(target);
}
