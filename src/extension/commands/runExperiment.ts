import * as vscode from 'vscode';
import type { Lab } from '../lab';
import { showRefusal, showRunProgress } from '../ui/runNotifications';
import { pickExperiment, savedForRun } from './pickTargets';

/** Denoise Lab: Run Experiment. Refuses an invalid config (naming each problem's field) or an untrusted workspace. */
export async function runExperiment(lab: Lab, arg?: unknown): Promise<void> {
  const active = vscode.window.activeTextEditor?.document;
  if (!arg && active?.isUntitled) {
    void vscode.window.showWarningMessage(
      'Save the experiment as a file named *.denoise.json first: runs start from a file.',
    );
    return;
  }
  const file = await pickExperiment(lab, arg, 'Run which experiment?');
  if (!file || !(await savedForRun(file))) return;
  const submitted = lab.service.submit(lab.runRequest(file));
  if (!submitted.ok) return showRefusal(lab, submitted);
  showRunProgress(lab.service, submitted.run);
}
