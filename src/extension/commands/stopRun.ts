import * as vscode from 'vscode';
import type { Lab } from '../lab';
import { pickActiveRun } from './pickTargets';

/** Denoise Lab: Stop Run. The run finishes its batch and writes its results; a second Stop ends it at once. */
export async function stopRun(lab: Lab, arg?: unknown): Promise<void> {
  const run = await pickActiveRun(lab, arg);
  if (!run) {
    void vscode.window.showInformationMessage('No Denoise Lab run is active.');
    return;
  }
  lab.service.stop(run.id);
}
