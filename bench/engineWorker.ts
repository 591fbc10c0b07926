/**
 * One benchmark row, in a process of its own so its peak resident memory belongs to one engine and one
 * model: starts the engine, trains the model for a warm-up and then for the timed samples, and prints
 * one JSON line (WorkerResult) on stdout. Run by bench/bench.ts; argv[2] is a WorkerJob as JSON.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initEngine, type EngineName } from '../src/core/engine/selectEngine';
import { buildDenoiser } from '../src/core/models/buildDenoiser';
import type { TrainingPairs } from '../src/core/training/imageBatches';
import { trainDenoiser } from '../src/core/training/trainer';
import { firstImages } from '../src/core/data/imageSet';
import { loadOneDnn } from '../src/core/engine/onednn/loadOneDnn';
import { ImageInference } from '../src/core/engine/plan/imageInference';
import { directTraining } from '../src/core/training/directTraining';
import { makeOptimizer } from '../src/core/training/optimizers';
import { reconstructionLoss } from '../src/core/evaluation/losses';
import { wrapModel } from '../src/core/models/wrapModel';
import { applyRun } from '../src/core/apply/applyRun';
import { loadSharp } from '../src/core/images/loadSharp';
import { saveDenoiser } from '../src/core/models/modelStorage';
import { SeededRandom } from '../src/core/random/seededRandom';
import { BENCH_SPECS, benchConfig, colourUnet, randomImages, type BenchModel } from './benchModels';

export interface WorkerJob {
  readonly model: BenchModel;
  readonly engine: EngineName;
  readonly samples: number;
  readonly warmupBatches: number;
  readonly threads: number;
  /** The residual CNN's convolutions on oneDNN (true) or on the BLAS products (false); dense rows leave it out. */
  readonly oneDnn?: boolean;
  /** The general oneDNN plan even for a model a hand-written step takes (DENOISE_DIRECT_STEPS=plan). */
  readonly plan?: boolean;
}

export type WorkerResult =
  | {
      ok: true;
      backend: string;
      threads: number;
      blasLibrary?: string;
      samples: number;
      seconds: number;
      samplesPerSecond: number;
      peakRssMB: number;
      tensorsLeaked: number;
      steps?: string;
      /** Peak resident memory when timing began (after the warm-up): the timed steps should not raise it. */
      warmPeakRssMB: number;
    }
  | { ok: false; stage: 'engine' | 'training'; error: string };

async function run(job: WorkerJob): Promise<WorkerResult> {
  const config = benchConfig(job.model);
  if (job.oneDnn === false) process.env.DENOISE_ONEDNN_LIB = 'none';
  if (job.plan) process.env.DENOISE_DIRECT_STEPS = 'plan';
  if (job.oneDnn) {
    const { onednn, problems } = loadOneDnn();
    if (!onednn)
      return {
        ok: false,
        stage: 'engine',
        error: `oneDNN did not load (Debian: apt-get install libdnnl2): ${problems.join('; ')}`,
      };
  }
  let engine;
  try {
    engine = await initEngine(job.engine, job.threads);
  } catch (err) {
    return { ok: false, stage: 'engine', error: (err as Error).message };
  }
  const spec = BENCH_SPECS[job.model];
  let warmPeakRssMB = 0;
  const warmedUp = () => void (warmPeakRssMB = process.resourceUsage().maxRSS / 1024);
  const finish = (
    timed: { seconds: number; samplesPerSecond: number; steps?: string },
    tensorsBefore: number,
  ): WorkerResult => ({
    warmPeakRssMB,
    ok: true,
    backend: engine.backend,
    threads: engine.threads,
    blasLibrary: engine.blasLibrary,
    samples: job.samples,
    ...timed,
    // maxRSS is in kilobytes.
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    tensorsLeaked: tf.memory().numTensors - tensorsBefore,
  });
  try {
    if (spec.how === 'steps') return finish(trainSteps(job, warmedUp), tf.memory().numTensors);
    if (spec.how === 'inference') return finish(infer(job, warmedUp), tf.memory().numTensors);
    if (spec.how === 'apply') return finish(await applyFile(job, warmedUp), tf.memory().numTensors);
    const denoiser = buildDenoiser(config.model, spec.image, config.training.seed);
    const batch = config.training.batchSize;
    const inputs = randomImages(job.samples, 1, spec.image);
    const targets = randomImages(job.samples, 2, spec.image);
    // Validation is required by the trainer but excluded from its training time; one batch keeps it short.
    const val: TrainingPairs = { inputs: firstImages(inputs, batch), targets: firstImages(targets, batch) };
    const train = (pairs: TrainingPairs) =>
      trainDenoiser({
        denoiser,
        training: config.training,
        trainPairs: () => pairs,
        valPairs: val,
        valQualityImages: 16,
      });

    // Warm-up: the first steps compile kernels and allocate; they are not what a long run costs per step.
    const warm = Math.min(job.samples, Math.min(job.warmupBatches, spec.warmup) * batch);
    if (warm > 0) await train({ inputs: firstImages(inputs, warm), targets: firstImages(targets, warm) });
    const tensorsBefore = tf.memory().numTensors;
    warmedUp();
    const result = await train({ inputs, targets });
    return finish(
      { seconds: result.trainSeconds, samplesPerSecond: result.samplesPerSecond, steps: result.steps },
      tensorsBefore,
    );
  } catch (err) {
    return { ok: false, stage: 'training', error: (err as Error).message };
  }
}

/**
 * A network no project builder makes yet, trained batch by batch through the trainer's own direct-step chooser
 * (directTraining.ts: the oneDNN plan where installed), or through the tape and optimizer as the trainer would.
 */
function trainSteps(
  job: WorkerJob,
  warmedUp: () => void,
): { seconds: number; samplesPerSecond: number; steps: string } {
  const spec = BENCH_SPECS[job.model];
  const { height, width, channels } = spec.image;
  const training = benchConfig('dncnn17').training;
  const model = colourUnet(height, width);
  const denoiser = wrapModel('unet', model, { height, width }, spec.label);
  const size = height * width * channels;
  const inputs = randomImages(job.samples, 1, spec.image).pixels;
  const targets = randomImages(job.samples, 2, spec.image).pixels;
  const direct = directTraining(denoiser, { ...training, batchSize: spec.batch });
  const optimizer = makeOptimizer(training);
  const step = (from: number, n: number) => {
    const x = inputs.subarray(from * size, (from + n) * size);
    const y = targets.subarray(from * size, (from + n) * size);
    if (direct) return direct.step(x, y, n, training.learningRate);
    return tf.tidy(() => {
      const cost = optimizer.minimize(
        () =>
          reconstructionLoss(
            training.loss,
            tf.tensor2d(y, [n, size]),
            model.apply(tf.tensor2d(x, [n, size]), { training: true }) as tf.Tensor,
          ),
        true,
      );
      return cost!.dataSync()[0];
    });
  };
  direct?.loadWeights();
  for (let b = 0; b < Math.min(job.warmupBatches, spec.warmup); b++) step(0, spec.batch);
  warmedUp();
  const started = performance.now();
  for (let from = 0; from < job.samples; from += spec.batch) step(from, Math.min(spec.batch, job.samples - from));
  const seconds = (performance.now() - started) / 1000;
  direct?.storeWeights();
  direct?.dispose();
  return {
    seconds,
    samplesPerSecond: job.samples / seconds,
    steps: direct?.description ?? "TensorFlow.js's tape and optimizer",
  };
}

/**
 * Forward passes of one image at a time on the general oneDNN plan as `denoise apply` runs it
 * (wholeImagePredictor.ts through imageInference.ts): the model is built at its 40x40 training patch size, as a
 * patch-trained run saves it, and the plan is made for the row's image size from it (a plan per size, batch norm
 * on its moving statistics). Without oneDNN, model.predict of the network built for the image's size.
 */
function infer(job: WorkerJob, warmedUp: () => void): { seconds: number; samplesPerSecond: number; steps: string } {
  const spec = BENCH_SPECS[job.model];
  const config = benchConfig(job.model);
  const { height, width, channels } = spec.image;
  const patch = { height: 40, width: 40, channels };
  const trained = buildDenoiser(config.model, patch, config.training.seed);
  const size = height * width * channels;
  const images = randomImages(job.samples, 1, spec.image).pixels;
  const plan = ImageInference.create(
    trained.model,
    (h, w) => buildDenoiser(config.model, { height: h, width: w, channels }, 0).model,
    job.threads || os.availableParallelism(),
  );
  let sized: tf.LayersModel | undefined;
  if (typeof plan === 'string') {
    sized = buildDenoiser(config.model, spec.image, config.training.seed).model;
    sized.setWeights(trained.model.getWeights());
  }
  const one = (i: number) => {
    const x = images.subarray(i * size, (i + 1) * size);
    if (typeof plan !== 'string') return plan.run(x, height, width)[0];
    return tf.tidy(() => (sized!.predict(tf.tensor2d(x, [1, size])) as tf.Tensor).dataSync()[0]);
  };
  for (let i = 0; i < Math.min(job.warmupBatches, spec.warmup); i++) one(0);
  warmedUp();
  const started = performance.now();
  for (let i = 0; i < job.samples; i++) one(i);
  const seconds = (performance.now() - started) / 1000;
  if (typeof plan !== 'string') plan.dispose();
  sized?.dispose();
  trained.model.dispose();
  return {
    seconds,
    samplesPerSecond: job.samples / seconds,
    steps: typeof plan === 'string' ? `model.predict (no plan: ${plan})` : plan.description,
  };
}

/**
 * `denoise apply` as a user runs it: a run folder with the model (saved at its 40x40 patch size) and one
 * noisy gray PNG of the row's size, decoded, denoised in tiles within the default memory budget, written.
 */
async function applyFile(
  job: WorkerJob,
  warmedUp: () => void,
): Promise<{ seconds: number; samplesPerSecond: number; steps: string }> {
  const spec = BENCH_SPECS[job.model];
  const config = benchConfig(job.model);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'denoise-bench-apply-'));
  try {
    const runDir = path.join(dir, 'run');
    mkdirSync(runDir);
    writeFileSync(path.join(runDir, 'config.json'), JSON.stringify(config));
    const side = config.training.patchSize;
    const denoiser = buildDenoiser(config.model, { height: side, width: side, channels: 1 }, config.training.seed);
    await saveDenoiser(denoiser, path.join(runDir, 'model'));
    denoiser.model.dispose();
    const { height, width } = spec.image;
    const rng = new SeededRandom(3);
    const bytes = Uint8Array.from({ length: height * width }, () => Math.floor(256 * rng.next()));
    const input = path.join(dir, 'noisy.png');
    await loadSharp()(bytes, { raw: { width, height, channels: 1 } })
      .toColourspace('b-w')
      .png()
      .toFile(input);
    let how = '';
    warmedUp();
    const started = performance.now();
    for (let i = 0; i < job.samples; i++) {
      await applyRun(runDir, [input], { out: path.join(dir, 'out') }, (event) => {
        if (event.type === 'started')
          how = `denoise apply on ${event.inference}, tiles of ${event.tile} px + ${event.margin}`;
      });
    }
    const seconds = (performance.now() - started) / 1000;
    return { seconds, samplesPerSecond: job.samples / seconds, steps: how };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

run(JSON.parse(process.argv[2]) as WorkerJob).then(
  (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
  (err) => {
    process.stdout.write(`${JSON.stringify({ ok: false, stage: 'training', error: String(err) })}\n`);
    process.exitCode = 1;
  },
);
