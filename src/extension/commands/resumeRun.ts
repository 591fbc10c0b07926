import * as vscode from 'vscode';
import { runFile } from '../../core/runs/runFiles';
import type { Lab } from '../lab';
import { showRefusal, showRunProgress } from '../ui/runNotifications';
import { runDirOf } from './pickTargets';

/** Denoise Lab: Resume Run. Continues an interrupted run (its trainer was killed) from its last checkpoint. */
export async function resumeRun(lab: Lab, arg?: unknown): Promise<void> {
  let runDir = runDirOf(arg);
  if (!runDir) {
    const interrupted = (await lab.savedRuns()).filter((r) => r.status === 'interrupted');
    if (interrupted.length === 0) {
      void vscode.window.showInformationMessage(
        'No run is interrupted: only a run whose trainer was killed can be resumed.',
      );
      return;
    }
    const picked = await vscode.window.showQuickPick(
      interrupted.map((listing) => ({
        label: listing.name,
        description: `epoch ${listing.epoch ?? 0} of ${listing.epochs ?? '?'}`,
        detail: listing.runDir,
        listing,
      })),
      { placeHolder: 'Resume which run?' },
    );
    runDir = picked?.listing.runDir;
  }
  if (!runDir) return;
  const submitted = lab.service.submit({ configFile: runFile(runDir, 'config'), overrides: [], resumeRunDir: runDir });
  if (!submitted.ok) return showRefusal(lab, submitted);
  showRunProgress(lab.service, submitted.run);
}
