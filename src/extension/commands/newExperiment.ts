import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { templateForFile } from '../host/templateForFile';
import { WALKTHROUGH_KEYS } from '../host/walkthroughSteps';
import type { Lab } from '../lab';

interface Template {
  readonly name: string;
  readonly description: string;
  readonly text: string;
}

/** Listed first for a newcomer: a one-minute run, then the seed report's best; the others alphabetically. */
const FIRST_TEMPLATES = ['quick-start.denoise.json', 'seed-best.denoise.json'];
const rank = (file: string) =>
  FIRST_TEMPLATES.includes(file) ? FIRST_TEMPLATES.indexOf(file) : FIRST_TEMPLATES.length;

/** The experiment templates shipped in templates/, each reproducing one of the seed report's experiments. */
function templates(extensionPath: string): Template[] {
  const folder = join(extensionPath, 'templates');
  return readdirSync(folder)
    .filter((f) => f.endsWith('.denoise.json'))
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
    .map((f) => {
      const text = readFileSync(join(folder, f), 'utf8');
      const parsed = JSON.parse(text) as { name: string; description?: string };
      return { name: parsed.name, description: parsed.description ?? '', text };
    });
}

async function targetFolder(): Promise<vscode.Uri | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 1) return folders[0].uri;
  if (folders.length > 1)
    return (await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Create the experiment in which folder?' }))
      ?.uri;
  const picked = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    openLabel: 'Create Here',
  });
  return picked?.[0];
}

/** Denoise Lab: New Experiment. Writes a template into the workspace under a name the user picks, then opens it. */
export async function newExperiment(lab: Lab): Promise<void> {
  const choice = await vscode.window.showQuickPick(
    templates(lab.context.extensionPath).map((t) => ({ label: t.name, detail: t.description, template: t })),
    {
      // "The seed report" comes up in the templates: said here once for a reader who does not know it.
      placeHolder:
        'Start from which experiment? (most reproduce the seed report: Sagdullin and Laiolo 2023, dense autoencoders denoising MNIST)',
      matchOnDetail: true,
    },
  );
  if (!choice) return;
  const folder = await targetFolder();
  if (!folder) return;
  const fileName = await vscode.window.showInputBox({
    prompt: 'File name of the new experiment',
    value: `${choice.template.name}.denoise.json`,
    valueSelection: [0, choice.template.name.length],
    validateInput: (value) => {
      if (!/^[^\\/:*?"<>|]+\.denoise\.json$/.test(value))
        return 'A file name ending in .denoise.json, without folders.';
      return existsSync(join(folder.fsPath, value)) ? `${value} already exists in this folder.` : undefined;
    },
  });
  if (!fileName) return;
  const file = vscode.Uri.joinPath(folder, fileName);
  await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(templateForFile(choice.template.text, fileName)));
  await vscode.window.showTextDocument(file);
  await vscode.commands.executeCommand('setContext', WALKTHROUGH_KEYS.newExperiment, true);
}
