import * as vscode from 'vscode';
import { formatProblem } from '../../core/config/configError';
import { formatLoss, formatDuration } from '../../app/format';
import type { Run, RunService, Submitted } from '../host/runService';
import type { Lab } from '../lab';

const SHOWN_PROBLEMS = 5;

/** A refused run: names each problem's field; the full list goes to the log. */
export async function showRefusal(lab: Lab, refusal: Extract<Submitted, { ok: false }>): Promise<void> {
  if (refusal.reason === 'untrusted') {
    const choice = await vscode.window.showWarningMessage(refusal.message, 'Manage Workspace Trust');
    if (choice) await vscode.commands.executeCommand('workbench.trust.manage');
    return;
  }
  lab.log.error(refusal.message);
  if (refusal.reason === 'outsideWorkspace' && refusal.foldersToAllow?.length)
    return offerToAllow(lab, refusal, refusal.foldersToAllow);
  const problems = refusal.problems.map(formatProblem);
  const more = problems.length > SHOWN_PROBLEMS ? ` (and ${problems.length - SHOWN_PROBLEMS} more)` : '';
  const head = refusal.message.split('\n')[0];
  const choice = await vscode.window.showErrorMessage(
    `${head} ${problems.slice(0, SHOWN_PROBLEMS).join('; ')}${more}`,
    'Show All',
  );
  if (choice) lab.showLog();
}

/** The outside-workspace refusal, with a button that adds the folders to the allowed paths (user settings). */
async function offerToAllow(
  lab: Lab,
  refusal: Extract<Submitted, { ok: false }>,
  folders: readonly string[],
): Promise<void> {
  const allow = folders.length === 1 ? 'Allow This Folder' : `Allow These ${folders.length} Folders`;
  const choice = await vscode.window.showErrorMessage(
    `${refusal.message.split('\n')[0]} ${folders.join(', ')}`,
    allow,
    'Show All',
  );
  if (choice === 'Show All') return lab.showLog();
  if (choice !== allow) return;
  const settings = vscode.workspace.getConfiguration('denoiseLab');
  const current = settings.inspect<string[]>('allowedPaths')?.globalValue ?? [];
  // User settings only: a workspace cannot widen its own boundary (see pathBoundary.ts).
  await settings.update('allowedPaths', [...new Set([...current, ...folders])], vscode.ConfigurationTarget.Global);
  void vscode.window.showInformationMessage(
    `Denoise Lab: allowed ${folders.join(', ')} (setting denoiseLab.allowedPaths). Run the experiment again.`,
  );
}

/** Progress of one run in a notification with Cancel (which stops the run), until it ends. */
export function showRunProgress(service: RunService, run: Run): void {
  void vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Denoise Lab: ${run.name}`, cancellable: true },
    (progress, token) =>
      new Promise<void>((resolve) => {
        let reported = 0;
        // The run may already be waiting in the queue: say so at once rather than at its next update.
        if (run.phase === 'queued') progress.report({ message: `queued (#${service.queuePosition(run.id)})` });
        const cancel = token.onCancellationRequested(() => service.stop(run.id));
        const subscription = service.onUpdate((update) => {
          if (update.run.id !== run.id) return;
          const { progress: p } = update.run;
          if (update.kind === 'ended') {
            subscription.dispose();
            cancel.dispose();
            resolve();
          } else if (update.run.phase === 'queued') {
            progress.report({ message: `queued (#${service.queuePosition(run.id)})` });
          } else if (update.run.phase === 'stopping') {
            progress.report({ message: 'stopping: writing results…' });
          } else if (p) {
            const percent = Math.floor(p.fraction * 100);
            progress.report({
              increment: percent - reported,
              message: `epoch ${p.epoch}/${p.epochs} · loss ${formatLoss(p.loss)}${p.etaSeconds !== undefined ? ` · ${formatDuration(p.etaSeconds)} left` : ''}`,
            });
            reported = percent;
          }
        });
      }),
  );
}

/** Tells the user how a run ended, with the actions that fit. */
export async function showRunEnded(lab: Lab, run: Run): Promise<void> {
  const name = `Denoise Lab: ${run.name}`;
  switch (run.ending) {
    case 'completed':
    case 'earlyStopped':
    case 'stopped': {
      const choice = await vscode.window.showInformationMessage(
        `${name}: ${run.message}`,
        'Open Dashboard',
        'Open Run Folder',
      );
      if (choice === 'Open Dashboard') await vscode.commands.executeCommand('denoiseLab.compareRuns', run.runDir);
      if (choice === 'Open Run Folder') await vscode.commands.executeCommand('denoiseLab.openRunFolder', run.runDir);
      return;
    }
    case 'cancelled':
      return;
    case 'badInput': {
      const problems = run.problems?.length ? ` ${run.problems.map(formatProblem).join('; ')}` : '';
      const choice = await vscode.window.showErrorMessage(
        `${name}: ${run.message?.split('\n')[0]}${problems}`,
        'Open Log',
      );
      if (choice) lab.showLog();
      return;
    }
    default: {
      // Failed, diverged, crashed, interrupted: the last lines of the trainer's output say why.
      const tail = run.stderrTail?.length ? ` Last output: ${run.stderrTail.slice(-5).join(' | ')}` : '';
      const choice = await vscode.window.showErrorMessage(`${name}: ${run.message}${tail}`, 'Open Log');
      if (choice) lab.showLog();
    }
  }
}
