import * as vscode from 'vscode';
import { ONNX_PARTS, type OnnxPart } from '../../core/export/exportOnnx';
import { defaultOnnxPath, exportRunModel, hasSavedModel, readRunModel } from '../../core/export/exportRunModel';
import { PRODUCER_VERSION } from '../../core/export/producerVersion';
import type { Lab } from '../lab';
import { runDirOf } from './pickTargets';

const PART_LABELS: Record<OnnxPart, string> = {
  denoiser: 'Denoiser: noisy image -> clean image',
  encoder: 'Encoder: image -> latent mean and spread',
  decoder: 'Decoder: latent vector -> image (generation)',
};

/** The run to export: the one invoked on (Runs view), else one picked among the runs that saved a model. */
async function pickRunWithModel(lab: Lab, arg: unknown): Promise<string | undefined> {
  const runs = (await lab.savedRuns()).filter((r) => hasSavedModel(r.runDir));
  const invoked = runDirOf(arg);
  // Only known run folders are read, whatever a caller passed.
  if (invoked !== undefined) return runs.find((r) => r.runDir === invoked)?.runDir ?? missingModel(invoked);
  if (runs.length === 0) {
    void vscode.window.showInformationMessage('No run has saved a model yet: run an experiment to the end first.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    runs.map((r) => ({
      label: r.name,
      description: `${r.status}${r.summary?.model ? ` · ${r.summary.model}` : ''}`,
      detail: r.runDir,
      runDir: r.runDir,
    })),
    { placeHolder: 'Export the model of which run?' },
  );
  return picked?.runDir;
}

function missingModel(runDir: string): undefined {
  void vscode.window.showWarningMessage(
    `Denoise Lab: ${runDir} has no saved model to export (the run has not finished).`,
  );
  return undefined;
}

/**
 * Denoise Lab: Export Model... Writes a run's trained model as an ONNX file (docs/export.md), asking for
 * the part when the model is a VAE. Reads only the run's model files: no training process is needed.
 */
export async function exportModel(lab: Lab, arg?: unknown): Promise<void> {
  const runDir = await pickRunWithModel(lab, arg);
  if (!runDir) return;
  const kind = readRunModel(runDir).denoiseLab?.kind;
  let part: OnnxPart = 'denoiser';
  if (kind === 'vae') {
    const picked = await vscode.window.showQuickPick(
      ONNX_PARTS.map((p) => ({ label: PART_LABELS[p], part: p })),
      { placeHolder: 'Export which part of the VAE?' },
    );
    if (!picked) return;
    part = picked.part;
  }
  const target = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.file(defaultOnnxPath(runDir, part)),
    filters: { ONNX: ['onnx'] },
  });
  if (!target) return;
  const result = exportRunModel(runDir, target.fsPath, part, PRODUCER_VERSION);
  lab.log.info(
    `Exported the ${result.kind} ${part} of ${runDir} to ${target.fsPath} (ONNX opset ${result.opset}: ${result.signature})`,
  );
  const reveal = 'Reveal File';
  const choice = await vscode.window.showInformationMessage(`Exported ${target.fsPath}: ${result.signature}`, reveal);
  if (choice === reveal) await vscode.commands.executeCommand('revealFileInOS', target);
}
