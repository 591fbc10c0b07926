import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ExperimentConfig } from '../config/experimentConfig.generated';
import type { LoadedConfig } from '../config/loadConfig';
import { hasCleanReference, isFullyConvolutional } from '../config/validateConfig';
import { loadImageFolder } from '../data/loadImageFolder';
import { loadSharp } from '../images/loadSharp';
import { PatchBatches } from '../training/patchBatches';
import type { RealImage, RealImageSplits } from '../data/realImage';
import { initEngine, type EngineInfo } from '../engine/selectEngine';
import {
  evaluateRealImages,
  methodLabel,
  type PerImageSummaryFields,
  type RealImageEvaluation,
} from '../metrics/realImageEvaluation';
import { meanQuality, realImageQuality } from '../metrics/realImageMetrics';
import { buildDenoiser } from '../models/buildDenoiser';
import type { Denoiser } from '../models/denoiser';
import { saveDenoiser } from '../models/modelStorage';
import { WholeImagePredictor } from '../models/wholeImagePredictor';
import { noisyImage } from '../noise/imageNoise';
import { writeFileAtomic, writeJsonAtomic } from '../files/atomicWrite';
import { markRunStart } from '../runs/checkpoint';
import { appendEpochRecord } from '../runs/metricsLog';
import { createRunFolder } from '../runs/runFolder';
import { epochImagePath, runFile } from '../runs/runFiles';
import type { ComparisonRow, RunSummary, SplitResult } from '../runs/runSummary';
import { writeRunStatus } from '../runs/runStatus';
import type { EpochValidation } from '../training/epochValidation';
import type { EpochRecord, QualityMetrics, SampleImages, TrainingEvent } from '../training/events';
import { trainDenoiser } from '../training/trainer';
import { buildRunSummary, summarySubjectOf, type SavedResults } from './buildRunSummary';
import type { ResumePoint } from './resumePoint';
import { describeResume } from './describeResume';
import { loadResumeModel, loadResumeState } from './resumeModel';
import { runCheckpoints } from './runCheckpoints';
import type { TrainingState } from '../training/trainingState';
import { toBytes, writeSampleGrid } from './sampleImages';
import { loadStartingModel } from './startingModel';
import { trainingEnding, type TrainingEnded } from './trainRun';
import { validationPairs } from './validationTargets';

/** Whether a config trains on patches: a fully convolutional model on dataset.source imageFolder. */
export function trainsOnPatches(config: ExperimentConfig): boolean {
  return config.dataset.source === 'imageFolder' && isFullyConvolutional(config.model);
}

/** A patch-trained run: whole images with their fixed noisy versions, the model, the patches and the folder. */
export interface ImageFolderRun {
  readonly config: ExperimentConfig;
  readonly baseDir: string;
  readonly engine: EngineInfo;
  readonly splits: RealImageSplits;
  readonly noisyVal: readonly RealImage[];
  readonly noisyTest: readonly RealImage[];
  readonly denoiser: Denoiser;
  readonly predictor: WholeImagePredictor;
  readonly batches: PatchBatches;
  readonly history: readonly EpochRecord[];
  /** The training state of the checkpoint a resumed run continues from (absent from its start, or when new). */
  readonly resumeState?: TrainingState;
  readonly runDir: string;
  readonly startedAt: Date;
  readonly emit: (event: TrainingEvent) => void;
}

/** Side of the square crops shown as sample images while training (the test images are shown whole at the end). */
const SAMPLE_SIDE = 96;

/**
 * Loads the engine, the image folders and the model (built for the patch size; whole images get a copy of it
 * per size), then makes the run folder and reports the start. Input problems throw before any folder exists.
 */
export async function startImageFolderRun(
  loaded: LoadedConfig,
  runsDir: string,
  resume: ResumePoint | undefined,
  emit: (event: TrainingEvent) => void,
): Promise<ImageFolderRun> {
  const { config, baseDir } = loaded;
  const engine = await initEngine(config.compute.engine, config.compute.threads);
  const splits = await loadImageFolder(config.dataset, baseDir);
  const side = config.training.patchSize;
  const image = { height: side, width: side, channels: splits.channels };
  const denoiser = resume?.modelDir
    ? await loadResumeModel(resume, config, image)
    : config.training.startFrom
      ? await loadStartingModel(config, image, baseDir, runsDir, emit)
      : buildDenoiser(config.model, image, config.training.seed);
  const batches = new PatchBatches(splits.train, config.training, config.noise);
  const run: ImageFolderRun = {
    config,
    baseDir,
    engine,
    splits,
    denoiser,
    batches,
    emit,
    noisyVal: splits.val.map((im) => noisyImage(im, config.noise, 'val')),
    noisyTest: splits.test.map((im) => noisyImage(im, config.noise, 'test')),
    predictor: new WholeImagePredictor(denoiser, config.model),
    history: resume?.history ?? [],
    resumeState: resume ? loadResumeState(resume) : undefined,
    runDir: resume?.runDir ?? createRunFolder(runsDir, config.name),
    startedAt: resume ? new Date(resume.startedAt) : new Date(),
  };
  if (!resume) {
    writeJsonAtomic(runFile(run.runDir, 'config'), config);
    markRunStart(run.runDir, baseDir);
  }
  writeRunning(run, run.history.length);
  const { train, val, test } = splits;
  emit({
    type: 'started',
    runDir: run.runDir,
    runName: config.name,
    engine,
    model: denoiser.describe(),
    dataset: `${splits.name}: ${train.length} train, ${val.length} validation, ${test.length} test images`,
    trainSize: config.training.patchesPerEpoch,
    epochs: config.training.epochs,
    batchesPerEpoch: batches.batchesPerEpoch,
  });
  emit({
    type: 'log',
    message:
      `Training on ${config.training.patchesPerEpoch} random ${side}x${side} patches per epoch` +
      `${config.training.augment ? ' (eight flips and rotations)' : ''}, ` +
      `${config.noise.steps.length ? 'fresh noise each epoch' : 'the images as they are'}; ` +
      `validation and test on whole images (${splits.channels === 3 ? 'RGB' : 'gray'}).`,
  });
  const selfSupervised = selfSupervisedLog(config);
  if (selfSupervised) emit({ type: 'log', message: selfSupervised });
  if (resume)
    emit({ type: 'log', message: describeResume(resume, config.training.epochs, run.resumeState !== undefined) });
  return run;
}

/** What a self-supervised target trains on and what the run can measure, for the log. */
function selfSupervisedLog(config: ExperimentConfig): string | undefined {
  const { target, maskFraction } = config.training;
  if (target === 'noise2noise') {
    return 'Noise2Noise: each patch is noised twice, independently; the model learns one noisy copy from the other.';
  }
  if (target !== 'noise2void') return undefined;
  const masked = `${+(maskFraction * 100).toFixed(2)}%`;
  const what = `Noise2Void: ${masked} of each noisy patch's pixels are masked by a neighbour's value, the loss counts them only`;
  return hasCleanReference(config)
    ? `${what}; the clean images are used for PSNR and SSIM only.`
    : `${what}. The images are the noisy data (no noise steps): no clean reference, so no PSNR or SSIM.`;
}

function writeRunning(run: ImageFolderRun, epoch: number): void {
  const { runDir, startedAt, config } = run;
  writeRunStatus(runDir, {
    status: 'running',
    startedAt: startedAt.toISOString(),
    epoch,
    epochs: config.training.epochs,
  });
}

/**
 * Per-image loss as training.loss defines it, on the clipped output (what evaluation sees); with weights
 * (Noise2Void's masked pixels) their weighted mean, as in training.
 */
function imageLoss(
  kind: ExperimentConfig['training']['loss'],
  target: Float32Array,
  output: Float32Array,
  weights?: Float32Array,
): number {
  let sum = 0;
  let total = 0;
  for (let i = 0; i < target.length; i++) {
    const w = weights ? weights[i] : 1;
    if (w === 0) continue;
    const t = target[i];
    const o = output[i];
    total += w;
    if (kind === 'mse') sum += w * (t - o) ** 2;
    else if (kind === 'mae') sum += w * Math.abs(t - o);
    else {
      const p = Math.min(1 - 1e-7, Math.max(1e-7, o));
      sum -= w * (t * Math.log(p) + (1 - t) * Math.log(1 - p));
    }
  }
  return total > 0 ? sum / total : 0;
}

/**
 * Each epoch's validation: every validation image whole, its loss (against training.target's target) and,
 * where the images are clean references, its quality, averaged over images. Noise2Void's loss is on its
 * masked input, so its quality is measured on a second pass over the unmasked noisy image.
 */
function wholeImageValidation(run: ImageFolderRun): () => EpochValidation {
  const { config, splits, noisyVal, predictor } = run;
  const pairs = validationPairs(config, splits.val, noisyVal);
  const measured = hasCleanReference(config);
  const masked = config.training.target === 'noise2void';
  return () => {
    let loss = 0;
    const rows = splits.val.map((clean, i) => {
      const pair = pairs[i];
      const output = predictor.predict(pair.input);
      loss += imageLoss(config.training.loss, pair.target, output, pair.weights);
      const denoised = masked ? predictor.predict(noisyVal[i]) : output;
      return { quality: measured ? realImageQuality(clean, denoised) : undefined, output: denoised };
    });
    const qualities = rows.flatMap((r) => (r.quality ? [r.quality] : []));
    const quality = measured ? { ...meanQuality(qualities), count: rows.length } : undefined;
    return { loss: loss / rows.length, ...(quality ? { quality } : {}), outputs: rows[0].output };
  };
}

/** The centre side x side of an image (smaller images whole), gray, for sample grids of equal-size images. */
function centreCrop(image: RealImage, side: number): RealImage {
  const h = Math.min(side, image.height);
  const w = Math.min(side, image.width);
  const top = (image.height - h) >> 1;
  const left = (image.width - w) >> 1;
  const c = image.channels;
  const pixels = new Float32Array(h * w * c);
  for (let y = 0; y < h; y++) {
    pixels.set(
      image.pixels.subarray(((top + y) * image.width + left) * c, ((top + y) * image.width + left + w) * c),
      y * w * c,
    );
  }
  return { ...image, pixels, height: h, width: w };
}

function gray(pixels: Float32Array, channels: number): Float32Array {
  if (channels === 1) return pixels;
  const out = new Float32Array(pixels.length / channels);
  for (let i = 0; i < out.length; i++)
    out[i] = 0.299 * pixels[3 * i] + 0.587 * pixels[3 * i + 1] + 0.114 * pixels[3 * i + 2];
  return out;
}

/**
 * Centre crops of the first test images, clean | noisy | denoised (noisy | denoised without clean images), in
 * gray (sample grids and messages are gray).
 */
function samplesNow(run: ImageFolderRun): SampleImages | undefined {
  const count = Math.min(run.config.evaluation.sampleImages, run.noisyTest.length);
  if (count === 0) return undefined;
  const side = Math.min(SAMPLE_SIDE, ...run.noisyTest.slice(0, count).flatMap((im) => [im.height, im.width]));
  const parts = { clean: [] as Float32Array[], noisy: [] as Float32Array[], denoised: [] as Float32Array[] };
  for (let i = 0; i < count; i++) {
    const noisy = centreCrop(run.noisyTest[i], side);
    parts.clean.push(gray(centreCrop(run.splits.test[i], side).pixels, noisy.channels));
    parts.noisy.push(gray(noisy.pixels, noisy.channels));
    parts.denoised.push(gray(run.predictor.predict(noisy), noisy.channels));
  }
  const join = (list: Float32Array[]) => {
    const out = new Float32Array(list.length * side * side);
    list.forEach((p, i) => out.set(p, i * side * side));
    return toBytes(out);
  };
  return {
    count,
    height: side,
    width: side,
    ...(hasCleanReference(run.config) ? { clean: join(parts.clean) } : {}),
    noisy: join(parts.noisy),
    denoised: join(parts.denoised),
  };
}

/**
 * What the run writes after each epoch, before the trainer's checkpoint: the metrics line, status.json, the sample
 * crops.
 */
function afterEpoch(run: ImageFolderRun): (record: EpochRecord) => Promise<void> {
  return async (record) => {
    appendEpochRecord(run.runDir, record);
    writeRunning(run, record.epoch);
    const images = samplesNow(run);
    if (images) {
      run.emit({ type: 'samples', epoch: record.epoch, images });
      if (run.config.output.epochImages) writeSampleGrid(epochImagePath(run.runDir, record.epoch), images);
    }
  };
}

/** Trains on patches with whole-image validation. */
export async function trainImageFolderRun(run: ImageFolderRun, signal?: AbortSignal): Promise<TrainingEnded> {
  return trainingEnding(run, signal, () =>
    trainDenoiser({
      denoiser: run.denoiser,
      training: run.config.training,
      batches: run.batches,
      validate: wholeImageValidation(run),
      onEvent: run.emit,
      signal,
      history: run.history,
      resume: run.resumeState,
      afterEpoch: afterEpoch(run),
      checkpoints: runCheckpoints(run),
    }),
  );
}

/**
 * Writes the first test images whole (clean, noisy, denoised; no clean without clean images) as 8-bit PNGs,
 * gray or RGB, into test-images/.
 */
async function writeTestImages(run: ImageFolderRun, denoised: readonly Float32Array[]): Promise<void> {
  const count = Math.min(run.config.evaluation.sampleImages, denoised.length);
  if (count === 0) return;
  const dir = join(run.runDir, 'test-images');
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const { width, height, channels, name } = run.splits.test[i];
    const base = name.replace(/\.[^./]+$/, '').replace(/[\\/]/g, '_');
    const views = {
      ...(hasCleanReference(run.config) ? { clean: run.splits.test[i].pixels } : {}),
      noisy: run.noisyTest[i].pixels,
      denoised: denoised[i],
    };
    for (const [view, pixels] of Object.entries(views)) {
      const png = await loadSharp()(toBytes(pixels), { raw: { width, height, channels: channels as 1 | 3 } })
        .png()
        .toBuffer();
      writeFileAtomic(join(dir, `${base}.${view}.png`), png);
    }
  }
}

const asMetrics = (q: { mse: number; psnr: number; ssim: number }, count: number): QualityMetrics => ({ ...q, count });

/**
 * The final evaluation on whole test images, with the baselines, as summary fields. Without clean images
 * there is nothing to score against: no metrics and no comparison (absent, not zero), only the denoised
 * test images written.
 */
async function evaluation(
  run: ImageFolderRun,
): Promise<Partial<Pick<SavedResults, 'metrics' | 'comparison'> & PerImageSummaryFields>> {
  const { config, splits, noisyTest, noisyVal, predictor } = run;
  if (!hasCleanReference(config)) {
    const shown = noisyTest.slice(0, config.evaluation.sampleImages);
    await writeTestImages(
      run,
      shown.map((im) => predictor.predict(im)),
    );
    return {};
  }
  const max = config.evaluation.maxImages;
  const clean = splits.test.slice(0, max);
  const noisy = noisyTest.slice(0, max);
  const denoised: Float32Array[] = [];
  const result: RealImageEvaluation = evaluateRealImages(
    clean,
    noisy,
    (im) => {
      const out = predictor.predict(im);
      denoised.push(out);
      return out;
    },
    config.evaluation.baselines ?? [],
    config.noise,
  );
  await writeTestImages(run, denoised);
  const split = (cleanSet: readonly RealImage[], noisySet: readonly RealImage[]): SplitResult => {
    const rows = cleanSet.map((im, i) => ({
      noisy: realImageQuality(im, noisySet[i].pixels),
      model: realImageQuality(im, predictor.predict(noisySet[i])),
    }));
    return {
      denoised: asMetrics(meanQuality(rows.map((r) => r.model)), rows.length),
      noisyInput: asMetrics(meanQuality(rows.map((r) => r.noisy)), rows.length),
    };
  };
  // A few training images only: whole-image inference is the costly part of evaluation.
  const trainSample = splits.train.slice(0, Math.min(4, max));
  const test: SplitResult = {
    denoised: asMetrics(result.mean.model, clean.length),
    noisyInput: asMetrics(result.mean.noisyInput, clean.length),
  };
  const comparison: ComparisonRow[] = Object.entries(result.mean).map(([method, q]) => ({
    method,
    label: methodLabel(method, result.nlmStrength),
    ...asMetrics(q, clean.length),
    seconds: result.seconds[method] ?? 0,
  }));
  return {
    metrics: {
      train: split(
        trainSample,
        trainSample.map((im) => noisyImage(im, config.noise, 'train')),
      ),
      val: split(splits.val.slice(0, max), noisyVal.slice(0, max)),
      test,
    },
    comparison,
    testProtocol: result.protocol,
    testImages: result.images,
  };
}

/** Saves the model and the final evaluation and returns the summary; frees the models. */
export async function finishImageFolderRun(
  run: ImageFolderRun,
  ended: TrainingEnded,
): Promise<RunSummary & PerImageSummaryFields> {
  const subject = summarySubjectOf(run, run.splits.name);
  try {
    const { result } = ended;
    const lastEpoch = result?.epochs.at(-1) ?? run.history.at(-1);
    const trained = lastEpoch !== undefined;
    if (trained && run.config.output.saveModel) await saveDenoiser(run.denoiser, runFile(run.runDir, 'model'));
    const samples = trained ? samplesNow(run) : undefined;
    if (samples) writeSampleGrid(runFile(run.runDir, 'samples'), samples);
    const finishedAt = new Date();
    const { testProtocol, testImages, ...evaluated } = trained ? await evaluation(run) : {};
    const saved: SavedResults = {
      ...(result ? { trainingSteps: result.steps } : {}),
      finalTrainLoss: lastEpoch?.trainLoss,
      finalValLoss: lastEpoch?.valLoss,
      ...evaluated,
    };
    return {
      ...buildRunSummary(subject, ended, finishedAt, saved),
      ...(testProtocol ? { testProtocol, testImages } : {}),
    };
  } catch (err) {
    const message = `Training ended but its results could not be saved: ${(err as Error).message}`;
    run.emit({ type: 'failed', reason: 'error', message, runDir: run.runDir });
    return buildRunSummary(subject, { ...ended, status: 'failed', message }, new Date());
  } finally {
    run.predictor.dispose();
    run.denoiser.model.dispose();
  }
}
