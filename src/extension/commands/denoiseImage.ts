import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { statSync } from 'node:fs';
import * as vscode from 'vscode';
import { checkNoiseLevel, type NoiseLevelQuestion } from '../../app/apply/noiseLevelQuestion';
import { progressOf } from '../host/applyProgressText';
import type { ApplyEnding, ApplyJob, ApplyState } from '../host/applyService';
import { applyRunChoices, builtinModels, type ApplyRunChoice } from '../host/applyRunChoices';
import { defaultOutputFolder, inputChannels, isImageFile, outputFolderProblem } from '../host/applyTargets';
import type { Lab } from '../lab';
import { openBeforeAfterView } from '../webviews/beforeAfterPanel';

/** The files or folders a command was invoked on: the explorer passes the clicked one and the selection. */
function urisOf(arg: unknown, selection: unknown): vscode.Uri[] {
  if (Array.isArray(selection) && selection.every((u) => u instanceof vscode.Uri) && selection.length)
    return selection as vscode.Uri[];
  return arg instanceof vscode.Uri ? [arg] : [];
}

/** From the palette: the image shown in the active editor, else the ones the user opens. */
async function askForTargets(folders: boolean): Promise<string[]> {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  const shown = input instanceof vscode.TabInputCustom || input instanceof vscode.TabInputText ? input.uri : undefined;
  if (!folders && shown?.scheme === 'file' && isImageFile(shown.fsPath)) return [shown.fsPath];
  const picked = await vscode.window.showOpenDialog({
    canSelectFiles: !folders,
    canSelectFolders: folders,
    canSelectMany: true,
    openLabel: 'Denoise',
    filters: folders ? undefined : { Images: ['png', 'jpg', 'jpeg', 'tif', 'tiff', 'webp'] },
  });
  return (picked ?? []).map((u) => u.fsPath);
}

function describeTargets(inputs: readonly string[]): string {
  if (inputs.length > 1) return `${inputs.length} selected items`;
  const isFolder = (() => {
    try {
      return statSync(inputs[0]).isDirectory();
    } catch {
      return false;
    }
  })();
  return isFolder ? `the images in ${basename(inputs[0])}` : basename(inputs[0]);
}

type RunItem = vscode.QuickPickItem & { choice?: ApplyRunChoice };

function pickerItems(choices: readonly ApplyRunChoice[]): RunItem[] {
  const items: RunItem[] = [];
  let section = '';
  for (const choice of choices) {
    const heading = choice.refusal ? 'Cannot denoise these images' : choice.builtin ? 'Built-in models' : 'Your runs';
    if (heading !== section) items.push({ label: heading, kind: vscode.QuickPickItemKind.Separator });
    section = heading;
    items.push({
      label: choice.refusal ? `$(circle-slash) ${choice.label}` : choice.label,
      description: choice.description,
      detail: choice.refusal ? `${choice.detail} — ${choice.refusal}` : choice.detail,
      choice,
    });
  }
  return items;
}

/** The run picker: a usable run, or undefined with the reason shown (nothing usable, a refused row picked). */
async function pickRun(lab: Lab, inputs: readonly string[]): Promise<ApplyRunChoice | undefined> {
  const channels = await inputChannels(inputs);
  const choices = applyRunChoices(await lab.savedRuns(), builtinModels(lab.context.extensionPath), channels);
  const what = describeTargets(inputs);
  if (!choices.some((c) => !c.refusal)) {
    const why = choices.length ? ` (${choices.map((c) => `${c.label}: ${c.refusal}`).join('; ')})` : '';
    void vscode.window.showErrorMessage(
      `Denoise Lab: no trained run can denoise ${what}${why}. Train a conv, dncnn or unet experiment on an image folder first.`,
    );
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(pickerItems(choices), {
    title: `Denoise ${what}`,
    placeHolder: 'Denoise with the model of which run? (newest first)',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  const choice = picked?.choice;
  if (choice?.refusal) {
    void vscode.window.showErrorMessage(`Denoise Lab: ${choice.label} cannot denoise ${what}: ${choice.refusal}.`);
    return undefined;
  }
  return choice;
}

/** Read when asked, not at load: loading the bundle must not touch VS Code's API (extensionBundle.test.ts). */
const severity = (kind: 'info' | 'warning') =>
  kind === 'info' ? vscode.InputBoxValidationSeverity.Info : vscode.InputBoxValidationSeverity.Warning;

/**
 * The images' noise level for a model that can be told it (the rule of `denoise apply --sigma`), checked as
 * it is typed: the prompt (the trained range) while the input would go in unchanged, else what the model
 * will do with the σ, or why it is not one (Enter refused). Undefined on Esc.
 */
async function askNoiseLevel(question: NoiseLevelQuestion): Promise<number | undefined> {
  const typed = await vscode.window.showInputBox({
    title: question.title,
    prompt: question.prompt,
    value: question.value,
    validateInput: (text) => {
      const answer = checkNoiseLevel(question, text);
      if (!answer.ok) return { message: answer.message, severity: vscode.InputBoxValidationSeverity.Error };
      return answer.severity ? { message: answer.message, severity: severity(answer.severity) } : undefined;
    },
  });
  if (typed === undefined) return undefined;
  const answer = checkNoiseLevel(question, typed);
  return answer.ok ? answer.sigma : undefined;
}

async function askOutputFolder(inputs: readonly string[]): Promise<string | undefined> {
  const base = dirname(inputs[0]);
  const absolute = (value: string) => (isAbsolute(value) ? value : resolve(base, value));
  const out = await vscode.window.showInputBox({
    title: 'Write the denoised images to',
    prompt: 'A folder (created when missing); the inputs are never overwritten. Relative paths start beside the input.',
    value: defaultOutputFolder(inputs[0]),
    validateInput: (value) => outputFolderProblem(absolute(value), inputs),
  });
  return out === undefined ? undefined : absolute(out);
}

/** A progress notification with Cancel for a running apply; resolves with its ending. */
function showProgress(job: ApplyJob, title: string): Thenable<ApplyEnding> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    async (progress, token) => {
      token.onCancellationRequested(() => job.cancel());
      let reported = 0;
      const report = (state: ApplyState) => {
        const { message, fraction } = progressOf(state);
        const percent = Math.round(fraction * 100);
        progress.report({ message, increment: Math.max(0, percent - reported) });
        reported = Math.max(reported, percent);
      };
      report(job.state);
      const listening = job.onState(report);
      try {
        return await job.ended;
      } finally {
        listening.dispose();
      }
    },
  );
}

/** Tells the user how an apply ended and, when it wrote files, opens the first in the before/after view. */
async function showEnding(lab: Lab, job: ApplyJob, ending: ApplyEnding, earlier: boolean): Promise<void> {
  const { inputs, out } = job.request;
  const prefix = earlier ? 'Started before the window reloaded: ' : '';
  if (ending.kind === 'failed') {
    void vscode.window.showErrorMessage(`Denoise Lab: ${prefix}${ending.message}`);
    return;
  }
  if (ending.kind !== 'done') {
    const show = ending.kind === 'cancelled' ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
    void show(`Denoise Lab: ${prefix}${ending.message}`);
    return;
  }
  const single = inputs.length === 1 && ending.outputs.length === 1 && isImageFile(inputs[0]);
  const compare = () =>
    openBeforeAfterView(lab.context, {
      title: `${basename(ending.outputs[0])}: before and after`,
      noisyPath: single ? inputs[0] : noisyOf(job, ending.outputs[0]),
      denoisedPath: ending.outputs[0],
    });
  if (single && !earlier) return compare();
  const action = await vscode.window.showInformationMessage(
    `Denoise Lab: ${prefix}${ending.outputs.length} image${ending.outputs.length === 1 ? '' : 's'} denoised into ${out}.`,
    ...(ending.outputs.length ? ['Compare Before and After'] : []),
  );
  if (action) compare();
}

/** The input a folder apply's output came from: the same path relative to the input folder. */
function noisyOf(job: ApplyJob, output: string): string {
  const relativePart = output.slice(job.request.out.length + 1);
  const folder = job.request.inputs.find((i) => !isImageFile(i)) ?? dirname(job.request.inputs[0]);
  return resolve(folder, relativePart);
}

/**
 * Denoise Image… / Denoise Images… (explorer, palette): pick a trained run, the images' noise level when its
 * model can be told it, a folder for the results, then the images are denoised in a trainer process with
 * progress and Cancel, and the result opens before/after. Esc at any question ends it with nothing written.
 */
export async function denoiseImages(lab: Lab, folders: boolean, arg?: unknown, selection?: unknown): Promise<void> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showErrorMessage(
      "Denoise Lab does not denoise images in an untrusted workspace: it reads a run's model and writes files. Trust the workspace first.",
    );
    return;
  }
  const given = urisOf(arg, selection)
    .filter((u) => u.scheme === 'file')
    .map((u) => u.fsPath);
  const inputs = given.length ? given : await askForTargets(folders);
  if (!inputs.length) return;
  const choice = await pickRun(lab, inputs);
  if (!choice) return;
  const sigma = choice.noiseLevel ? await askNoiseLevel(choice.noiseLevel) : undefined;
  if (choice.noiseLevel && sigma === undefined) return;
  const out = await askOutputFolder(inputs);
  if (!out) return;
  const job = lab.applies.start({ runDir: choice.runDir, inputs, out, sigma });
  const ending = await showProgress(job, `Denoising ${describeTargets(inputs)} with ${choice.label}`);
  await showEnding(lab, job, ending, false);
}

/**
 * The applies an earlier window started (it reloaded): a live one gets its progress notification and Cancel
 * back; one that ended meanwhile is reported as it really ended (finished, failed, killed).
 */
export function reattachApplies(lab: Lab): void {
  for (const job of lab.applies.reattach()) {
    void (async () => {
      const ending = job.isDone
        ? await job.ended
        : await showProgress(
            job,
            `Denoising ${describeTargets(job.request.inputs)} (started before the window reloaded)`,
          );
      await showEnding(lab, job, ending, true);
    })();
  }
}
