import * as vscode from 'vscode';

/** Denoise Lab: Run Sweep. Sweeps (several runs from one experiment and a grid of values) arrive with issue 7. */
export async function runSweep(): Promise<void> {
  await vscode.window.showInformationMessage(
    'Run Sweep is not available yet in this version of Denoise Lab. Meanwhile, copy an experiment and change one value per copy, then run each; "Denoise Lab: Compare Runs" puts their results side by side.',
  );
}
