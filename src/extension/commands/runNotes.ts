import * as vscode from 'vscode';
import { parseTags, updateRunNotes } from '../../core/runs/runNotes';
import type { Lab } from '../lab';
import { pickSavedRuns, runDirOf } from './pickTargets';

/** The run folder a notes command acts on, accepted only when it is one of the known runs. */
async function targetRun(lab: Lab, arg: unknown, placeHolder: string) {
  const runDir = runDirOf(arg) ?? (await pickSavedRuns(lab, placeHolder, false))[0]?.runDir;
  return runDir ? lab.knownRun(runDir) : undefined;
}

/** Writes the change to notes.json and shows it in the Runs view and the dashboard's run list. */
async function save(runDir: string, change: Parameters<typeof updateRunNotes>[1]): Promise<void> {
  updateRunNotes(runDir, change);
  await vscode.commands.executeCommand('denoiseLab.refreshRuns');
}

/** Denoise Lab: Rename Run. A name of the user's own, shown instead of the experiment's; empty restores it. */
export async function renameRun(lab: Lab, arg?: unknown): Promise<void> {
  const run = await targetRun(lab, arg, 'Rename which run?');
  if (!run) return;
  const title = await vscode.window.showInputBox({
    title: `Rename run ${run.folder}`,
    prompt: `Shown in the Runs view, the dashboard and denoise list. Leave empty for the experiment's name (${run.name}).`,
    value: run.notes.title ?? run.name,
  });
  if (title === undefined) return;
  await save(run.runDir, { title: title.trim() === run.name ? '' : title });
}

/** Denoise Lab: Tag Run. Tags to find runs by (the dashboard's filter matches them). */
export async function tagRun(lab: Lab, arg?: unknown): Promise<void> {
  const run = await targetRun(lab, arg, 'Tag which run?');
  if (!run) return;
  const text = await vscode.window.showInputBox({
    title: `Tags of run ${run.notes.title ?? run.folder}`,
    prompt: 'Words separated by spaces or commas, such as "baseline small-lr". Leave empty for none.',
    value: (run.notes.tags ?? []).join(' '),
  });
  if (text === undefined) return;
  await save(run.runDir, { tags: parseTags(text) });
}

/** Denoise Lab: Add Note to Run. A line about the run, shown in its tooltip and the results table's Note column. */
export async function noteRun(lab: Lab, arg?: unknown): Promise<void> {
  const run = await targetRun(lab, arg, 'Add a note to which run?');
  if (!run) return;
  const note = await vscode.window.showInputBox({
    title: `Note on run ${run.notes.title ?? run.folder}`,
    prompt: 'What to remember about this run. Leave empty to remove the note.',
    value: run.notes.note ?? '',
  });
  if (note === undefined) return;
  await save(run.runDir, { note });
}
