import { Command, Option } from 'commander';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ONNX_PARTS, type OnnxPart } from '../../core/export/exportOnnx';
import { defaultOnnxPath, exportRunModel } from '../../core/export/exportRunModel';
import { PRODUCER_VERSION } from '../../core/export/producerVersion';
import { InputError } from '../../core/errors/inputError';
import { runFile } from '../../core/runs/runFiles';
import { EXIT } from '../../app/exitCodes';
import { toJsonLine } from './jsonOutput';

export interface ExportCommandOptions {
  readonly format: string;
  readonly out?: string;
  readonly part: string;
  readonly json: boolean;
}

/**
 * `denoise export RUN --format onnx [--out FILE] [--part denoiser|encoder|decoder]`: the run's saved model
 * as an ONNX file (docs/export.md). Reads only RUN/model, so it needs no engine and no dataset.
 */
export function exportCommand(run: string, options: ExportCommandOptions): number {
  const runDir = resolve(run);
  if (!existsSync(runFile(runDir, 'config')))
    throw new InputError(`${runDir} is not a Denoise Lab run folder (no config.json)`);
  if (options.format !== 'onnx')
    throw new InputError(`--format ${options.format} is not supported; the only format is onnx`);
  if (!ONNX_PARTS.includes(options.part as OnnxPart))
    throw new InputError(`--part must be ${ONNX_PARTS.join(', ')}; got "${options.part}"`);
  const part = options.part as OnnxPart;
  const out = resolve(options.out ?? defaultOnnxPath(runDir, part));
  let result;
  try {
    result = exportRunModel(runDir, out, part, PRODUCER_VERSION);
  } catch (err) {
    throw new InputError((err as Error).message);
  }
  if (options.json) {
    process.stdout.write(
      toJsonLine({
        out,
        kind: result.kind,
        part,
        opset: result.opset,
        signature: result.signature,
        bytes: result.bytes.byteLength,
      }),
    );
  } else {
    process.stdout.write(`${out}\n  ${result.kind} ${part}, ONNX opset ${result.opset}: ${result.signature}\n`);
  }
  return EXIT.ok;
}

type Action = <A extends unknown[]>(fn: (...args: A) => Promise<number> | number) => (...args: A) => Promise<void>;

export function registerExportCommand(program: Command, action: Action): void {
  program
    .command('export')
    .description("write a run's trained model as an ONNX file (opset 13, NCHW images in [0, 1]; see docs/export.md)")
    .argument('<run>', 'run folder')
    .addOption(new Option('--format <format>', 'file format').choices(['onnx']).default('onnx'))
    .option('--out <file>', 'file to write (default: <run folder name>.onnx in the run folder)')
    .addOption(
      new Option('--part <part>', "what to export; a VAE's encoder or decoder alone")
        .choices([...ONNX_PARTS])
        .default('denoiser'),
    )
    .option('--json', 'print the written file as JSON', false)
    .action(action((run: string, opts: ExportCommandOptions) => exportCommand(run, opts)));
}
