import * as vscode from 'vscode';
import type { Lab } from '../lab';
import type { ExperimentsTree } from '../views/experimentsTree';
import type { RunsTree } from '../views/runsTree';
import type { WebviewHub } from '../webviews/webviewHub';
import { denoiseImages } from './denoiseImage';
import { exportResults } from './exportResults';
import { exportModel } from './exportModel';
import { newExperiment } from './newExperiment';
import { openInBeforeAfterView } from './openInBeforeAfterView';
import { resumeRun } from './resumeRun';
import { deleteRun, diffConfigs, rerun } from './runActions';
import { noteRun, renameRun, tagRun } from './runNotes';
import { runExperiment } from './runExperiment';
import { runSweep } from './runSweep';
import { stopRun } from './stopRun';
import { compareRuns, openDashboard, openRunFolder, openSweepResults, previewNoise } from './viewCommands';

/** Every command of package.json's contributes.commands, bound to its handler. */
export function registerCommands(
  lab: Lab,
  hub: WebviewHub,
  trees: { experiments: ExperimentsTree; runs: RunsTree },
): vscode.Disposable {
  const handlers: Record<string, (...args: unknown[]) => unknown> = {
    'denoiseLab.newExperiment': () => newExperiment(lab),
    'denoiseLab.runExperiment': (arg) => runExperiment(lab, arg),
    'denoiseLab.runSweep': (arg) => runSweep(lab, arg),
    'denoiseLab.stopRun': (arg) => stopRun(lab, arg),
    'denoiseLab.resumeRun': (arg) => resumeRun(lab, arg),
    'denoiseLab.openDashboard': () => openDashboard(lab, hub),
    'denoiseLab.previewNoise': (arg) => previewNoise(lab, hub, arg),
    'denoiseLab.compareRuns': (arg) => compareRuns(lab, hub, arg),
    'denoiseLab.openRunFolder': (arg) => openRunFolder(lab, arg),
    'denoiseLab.openInBeforeAfterView': (arg, selected) => openInBeforeAfterView(lab, arg, selected),
    'denoiseLab.exportResults': (arg, format) => exportResults(lab, arg, format),
    'denoiseLab.deleteRun': (arg) => deleteRun(lab, arg),
    'denoiseLab.diffRunConfigs': (arg) => diffConfigs(lab, arg),
    'denoiseLab.rerun': (arg) => rerun(lab, arg),
    'denoiseLab.renameRun': (arg) => renameRun(lab, arg),
    'denoiseLab.tagRun': (arg) => tagRun(lab, arg),
    'denoiseLab.noteRun': (arg) => noteRun(lab, arg),
    'denoiseLab.openSweepResults': (arg) => openSweepResults(arg),
    'denoiseLab.exportModel': (arg) => exportModel(lab, arg),
    'denoiseLab.denoiseImage': (arg, selection) => denoiseImages(lab, false, arg, selection),
    'denoiseLab.denoiseImages': (arg, selection) => denoiseImages(lab, true, arg, selection),
    'denoiseLab.showLog': () => lab.showLog(),
    'denoiseLab.refreshExperiments': () => {
      lab.forgetExperimentFiles();
      trees.experiments.refresh();
    },
    'denoiseLab.refreshRuns': async () => {
      const listing = trees.runs.nextListing(1000);
      trees.runs.refresh();
      // The pages' run list from the view's own listing, once the view has its rows (a turn later).
      const saved = await listing;
      await new Promise((resolve) => setTimeout(resolve, 0));
      return hub.sendRuns(saved);
    },
  };
  return vscode.Disposable.from(
    ...Object.entries(handlers).map(([id, handler]) =>
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          await handler(...args);
        } catch (err) {
          // A command that fails says so instead of failing silently, and leaves the details in the log.
          lab.log.error(`${id}: ${(err as Error).stack ?? String(err)}`);
          void vscode.window.showErrorMessage(`Denoise Lab: ${(err as Error).message}`);
        }
      }),
    ),
  );
}
