/**
 * Denoise Lab: Open in Before/After View, on images in the explorer under a runs folder: a run's sample grid
 * (samples.png, epochs/epoch-NNNN.png) opens as its clean, noisy and denoised columns; other images (up to
 * four selected together, say an input and its results) open side by side, told apart by their names.
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import * as vscode from 'vscode';
import { gridColumnsAsCompareSet, isSampleGrid, roleFromFileName } from '../../app/page/compareImages';
import { readSampleGrid } from '../../core/runs/runImages';
import { RUN_FILES, runFile } from '../../core/runs/runFiles';
import { LIMITS } from '../../protocol/limits';
import type { Lab } from '../lab';
import { openCompareFiles, openCompareView } from '../webviews/beforeAfterPanel';

/** The context key the explorer menu's `when` reads: every runs folder, run folder and run's epochs folder. */
export const RUN_IMAGE_FOLDERS_KEY = 'denoiseLab.runImageFolders';

function isInside(file: string, folder: string): boolean {
  const path = relative(folder, file);
  return path !== '' && !path.startsWith('..') && !path.startsWith(sep);
}

export async function openInBeforeAfterView(lab: Lab, arg?: unknown, selected?: unknown): Promise<void> {
  const uris = (Array.isArray(selected) && selected.length ? selected : [arg]).filter(
    (u): u is vscode.Uri => u instanceof vscode.Uri,
  );
  if (uris.length === 0) {
    void vscode.window.showInformationMessage(
      'Right-click an image in a runs folder to open it in the before/after view.',
    );
    return;
  }
  const files = uris.map((u) => u.fsPath);
  const folders = await lab.runsFolders();
  const outside = files.find((f) => !folders.some((folder) => isInside(f, folder)));
  if (outside) {
    void vscode.window.showWarningMessage(
      `Denoise Lab opens images from a runs folder in the before/after view; ${basename(outside)} is not in one.`,
    );
    return;
  }
  if (files.length > LIMITS.compareImages) {
    void vscode.window.showWarningMessage(
      `The before/after view compares up to ${LIMITS.compareImages} images; ${files.length} are selected.`,
    );
    return;
  }
  const inEpochs = basename(dirname(files[0])) === 'epochs';
  const runDir = inEpochs ? dirname(dirname(files[0])) : dirname(files[0]);
  const runName = basename(runDir);
  if (files.length === 1 && isSampleGrid(files[0])) {
    const title = `Before/after: ${runName} · ${basename(files[0])}`;
    openCompareView(lab.context, title, async () => gridColumnsAsCompareSet(title, readSampleGrid(runDir, files[0])));
    return;
  }
  const names = files.map((f) => basename(f)).join(', ');
  const title = `Before/after: ${files.length === 1 ? names : `${runName} · ${names}`}`;
  openCompareFiles(
    lab.context,
    title,
    files.map((path) => ({ label: basename(path), role: roleFromFileName(basename(path)), path })),
  );
}
/** The sub-folders of `dir` (none when it cannot be read). */
function subfolders(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => join(dir, e.name));
  } catch {
    return [];
  }
}

/**
 * The folders of RUN_IMAGE_FOLDERS_KEY: the runs folders, each run in them (a folder with a config.json) and its
 * image folders. Found by listing folders only: reading every run's files, as the Runs view does, took about half
 * a second for 1,000 runs right when the extension started (bench:runs-view).
 */
export async function runImageFolders(lab: Lab): Promise<string[]> {
  const folders = await lab.runsFolders();
  const runs = folders.flatMap(subfolders).filter((dir) => existsSync(runFile(dir, 'config')));
  const images = runs.flatMap((runDir) => subfolders(runDir).filter((dir) => basename(dir) !== RUN_FILES.model));
  return [...new Set([...folders, ...runs, ...images])];
}

/** Keeps RUN_IMAGE_FOLDERS_KEY up to date: now, and a second after the runs view changes. */
export function watchRunImageFolders(lab: Lab, runsChanged: vscode.Event<unknown>): vscode.Disposable {
  const update = async () => {
    try {
      await vscode.commands.executeCommand('setContext', RUN_IMAGE_FOLDERS_KEY, await runImageFolders(lab));
    } catch (err) {
      lab.log.error(`runs folders for the before/after menu: ${(err as Error).message}`);
    }
  };
  let timer: NodeJS.Timeout | undefined;
  void update();
  const subscription = runsChanged(() => {
    clearTimeout(timer);
    timer = setTimeout(() => void update(), 1000);
  });
  return { dispose: () => (clearTimeout(timer), subscription.dispose()) };
}
