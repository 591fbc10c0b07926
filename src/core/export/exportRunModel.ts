import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { runFile } from '../runs/runFiles';
import { writeFileAtomic } from '../files/atomicWrite';
import { exportOnnx, type OnnxExport, type OnnxPart } from './exportOnnx';
import { readSavedLayersModel } from './savedLayersModel';

export interface RunModelExport extends OnnxExport {
  readonly kind: string;
  readonly out: string;
}

/** Reads the model a run saved (RUN/model/model.json + weights.bin), whatever engine trained it. */
export function readRunModel(runDir: string) {
  const dir = runFile(runDir, 'model');
  const jsonPath = join(dir, 'model.json');
  if (!existsSync(jsonPath))
    throw new Error(`${runDir} has no saved model (${jsonPath}): the run may not have finished`);
  const json = JSON.parse(readFileSync(jsonPath, 'utf8'));
  return readSavedLayersModel(json, new Uint8Array(readFileSync(join(dir, 'weights.bin'))));
}

/** Exports a run's model to an ONNX file at `out` (written atomically). */
export function exportRunModel(runDir: string, out: string, part: OnnxPart, producerVersion: string): RunModelExport {
  const model = readRunModel(runDir);
  const result = exportOnnx(model, part, producerVersion);
  writeFileAtomic(out, result.bytes);
  return { ...result, kind: model.denoiseLab?.kind ?? 'unknown', out };
}

/** Where an export goes unless the user says: next to the model, named after the run (and the part). */
export function defaultOnnxPath(runDir: string, part: OnnxPart): string {
  return join(runDir, `${basename(runDir)}${part === 'denoiser' ? '' : `-${part}`}.onnx`);
}

/** Whether the run folder holds a saved model to export. */
export function hasSavedModel(runDir: string): boolean {
  return existsSync(join(runFile(runDir, 'model'), 'model.json'));
}
