import { existsSync, mkdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { initEngine } from '../engine/selectEngine';
import { isFullyConvolutional } from '../config/validateConfig';
import { listImageFiles } from '../data/imageFolderFiles';
import { InputError } from '../errors/inputError';
import { resolveModelRef } from './builtinModels';
import { loadDenoiser } from '../models/modelStorage';
import { sideMultiple, WholeImagePredictor } from '../models/wholeImagePredictor';
import type { ExperimentConfig } from '../config/experimentConfig.generated';
import { configShape, readJsonRunFile } from '../runs/runFileReads';
import { runFile } from '../runs/runFiles';
import { checkInputImage, readInputImage, writeOutputImage } from './imageFileIo';
import { noiseLevelHint } from './noiseLevelHint';
import { receptiveRadius } from './receptiveField';
import { MIN_TILE, splitApplyMemory } from './applyMemory';
import { SampleTiles } from './sampleTiles';
import { bytesPerTilePixel, planTiles, predictTiled, type TilePlan } from './tiles';

/**
 * The whole apply's memory when neither --tile nor --memory-mb is given (raised for an image that needs more,
 * applyMemory.ts).
 */
export const DEFAULT_MEMORY_MB = 1024;

export interface ApplyOptions {
  readonly out: string;
  readonly tile?: number;
  readonly memoryMb?: number;
  /** Cancel (SIGTERM, SIGINT, the Cancel button): stops before the next file is written; written files stay. */
  readonly signal?: AbortSignal;
  /** The inputs' Gaussian noise level on the 0-255 scale, for a model trained at another σ (noiseLevelHint.ts). */
  readonly sigma?: number;
}

/** An apply stopped by its signal: which outputs were written (each complete) and which were not. */
export class ApplyCancelled extends Error {
  constructor(
    readonly written: readonly string[],
    readonly notWritten: readonly string[],
  ) {
    super(
      `cancelled: ${written.length} of ${written.length + notWritten.length} file(s) written, each complete; ` +
        `not written: ${notWritten.join(', ')}`,
    );
    this.name = 'ApplyCancelled';
  }
}

/** One input file and where its result goes. */
export interface ApplyJob {
  readonly input: string;
  readonly output: string;
  readonly name: string;
}

export type ApplyEvent =
  | {
      type: 'started';
      files: number;
      model: string;
      /** Where the network runs: the oneDNN plan, or TensorFlow.js and why. */
      inference: string;
      tile: number;
      margin: number;
      /** How the memory budget is spent (applyMemory.ts), or that --tile set the tiles. */
      memory: string;
      sigmaHint?: string;
    }
  | { type: 'tile'; file: number; done: number; total: number }
  | {
      type: 'file';
      file: number;
      input: string;
      output: string;
      width: number;
      height: number;
      seconds: number;
      /** An RGB file of three equal channels, denoised by the gray model as gray and written back as RGB. */
      grayAsRgb: boolean;
    };

/**
 * Lists the input files (a folder contributes every image under it, keeping its sub-folders) and their
 * outputs under `out`, refusing an output folder that would overwrite an input or two inputs of one name.
 */
export async function planJobs(inputs: readonly string[], out: string): Promise<ApplyJob[]> {
  const outDir = path.resolve(out);
  const jobs: ApplyJob[] = [];
  for (const given of inputs) {
    const input = path.resolve(given);
    if (!existsSync(input)) throw new InputError(`${given}: no such file or folder`);
    if (statSync(input).isDirectory()) {
      if (input === outDir)
        throw new InputError(
          `--out ${out} is the input folder ${given}: choose another folder, so that no input is overwritten`,
        );
      for (const entry of await listImageFiles(input))
        jobs.push({ input: entry.file, name: entry.name, output: path.join(outDir, entry.name) });
    } else {
      const name = path.basename(input);
      jobs.push({ input, name, output: path.join(outDir, name) });
    }
  }
  const seen = new Map<string, string>();
  for (const job of jobs) {
    if (job.output === job.input)
      throw new InputError(`${job.input}: its output would overwrite it; give --out another folder`);
    const other = seen.get(job.output);
    if (other)
      throw new InputError(`${other} and ${job.input} would both be written to ${job.output}; apply them in two calls`);
    seen.set(job.output, job.input);
  }
  if (!jobs.length)
    throw new InputError(
      `${inputs.join(', ')}: no image files (PNG, JPEG, TIFF, WebP) there, sub-folders included; hidden files are skipped`,
    );
  return jobs;
}

/**
 * `denoise apply`: denoises image files with a run's trained model (or a built-in one, `builtin:gray`), tile
 * by tile within a memory budget, each result written in its input's format and bit depth. Every file is
 * checked (readable, the model's channel count) before any output is written, so bad input leaves no output.
 */
export async function applyRun(
  runPath: string,
  inputs: readonly string[],
  options: ApplyOptions,
  onEvent: (event: ApplyEvent) => void = () => {},
): Promise<ApplyJob[]> {
  const runDir = path.resolve(resolveModelRef(runPath));
  const read = readJsonRunFile<ExperimentConfig>(runFile(runDir, 'config'), configShape);
  const config = read.value;
  if (!config)
    throw new InputError(
      `${runDir} is not a usable Denoise Lab run folder: ${read.problem ?? 'it has no config.json'}`,
    );
  if (!isFullyConvolutional(config.model)) {
    throw new InputError(
      `${runDir} trained a ${config.model.type} model, which takes only its fixed image size; ` +
        'apply a run of a conv, dncnn or unet model (dataset.source imageFolder)',
    );
  }
  const modelDir = runFile(runDir, 'model');
  if (!existsSync(path.join(modelDir, 'model.json'))) {
    throw new InputError(
      `${runDir} has no trained model (no model/model.json): the run may not have finished; resume it or train again`,
    );
  }
  const channels = (config.dataset.channels ?? 1) === 3 ? 3 : 1;
  const hint = options.sigma === undefined ? undefined : noiseLevelHint(config, options.sigma);
  const jobs = await planJobs(inputs, options.out);
  // Headers and channel counts first: a bad file is reported before anything is written.
  const headers = [];
  for (const job of jobs) headers.push((await checkInputImage(job.input, channels)).header);
  await initEngine(config.compute.engine, config.compute.threads);
  const side = config.training.patchSize;
  let trained: Awaited<ReturnType<typeof loadDenoiser>>;
  try {
    trained = await loadDenoiser(modelDir, config.model, { height: side, width: side, channels });
  } catch (err) {
    // TensorFlow.js's and JSON.parse's messages name no file: say which model, and what to do.
    throw new InputError(
      `${modelDir}: the saved model cannot be loaded (${(err as Error).message.split('\n')[0]}); it is damaged or ` +
        'from another run: train the run again',
    );
  }
  const predictor = new WholeImagePredictor(trained, config.model);
  const multiple = sideMultiple(config.model);
  const radius = receptiveRadius(trained.model);
  // On the plan, its activations measured, plus a quarter for oneDNN's scratch space and the tile's copies.
  const bytesPerPixel = 1.25 * (predictor.planBytesPerPixel() ?? bytesPerTilePixel(trained.model) / 1.25);
  const minWindow = MIN_TILE + 2 * radius;
  const memory =
    options.tile === undefined
      ? splitApplyMemory({
          requestedMb: options.memoryMb,
          defaultMb: DEFAULT_MEMORY_MB,
          residentBytes: process.memoryUsage().rss,
          headers,
          channels,
          minTileMb: (minWindow * minWindow * bytesPerPixel) / 2 ** 20,
        })
      : undefined;
  const plan: TilePlan = planTiles({
    tile: options.tile,
    memoryMb: memory?.tileMb ?? 0,
    radius,
    multiple,
    bytesPerPixel,
  });
  onEvent({
    type: 'started',
    files: jobs.length,
    model: trained.describe(),
    inference: predictor.describe(),
    tile: plan.tile,
    margin: plan.margin,
    memory: memory?.note ?? `tiles of ${plan.tile} px as --tile asks; memory not budgeted`,
    ...(hint ? { sigmaHint: hint.note } : {}),
  });
  // Checked after each step that waits (the signal's handler runs only then): a cancel lands between files or
  // just before a write, never inside one, so no output is left half-written.
  const stopIfCancelled = (index: number) => {
    if (options.signal?.aborted)
      throw new ApplyCancelled(
        jobs.slice(0, index).map((j) => j.output),
        jobs.slice(index).map((j) => j.output),
      );
  };
  try {
    for (const [index, job] of jobs.entries()) {
      stopIfCancelled(index);
      const start = performance.now();
      const { image, header, grayAsRgb } = await readInputImage(job.input, job.name, channels);
      // Denoised in place: the file's samples become the result's.
      const tiles = new SampleTiles(image, hint);
      predictTiled(predictor, tiles, plan, multiple, (done, total) =>
        onEvent({ type: 'tile', file: index, done, total }),
      );
      mkdirSync(path.dirname(job.output), { recursive: true });
      await writeOutputImage(job.output, header, tiles.result, grayAsRgb, () => stopIfCancelled(index));
      onEvent({
        type: 'file',
        file: index,
        input: job.input,
        output: job.output,
        width: image.width,
        height: image.height,
        seconds: (performance.now() - start) / 1000,
        grayAsRgb,
      });
    }
  } finally {
    predictor.dispose();
    trained.model.dispose();
  }
  return jobs;
}
