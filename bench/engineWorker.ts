/**
 * One benchmark row, in a process of its own so its peak resident memory belongs to one engine and one
 * model: starts the engine, trains the model for a warm-up and then for the timed samples, and prints
 * one JSON line (WorkerResult) on stdout. Run by bench/bench.ts; argv[2] is a WorkerJob as JSON.
 */
import * as tf from '@tensorflow/tfjs';
import { initEngine, type EngineName } from '../src/core/engine/selectEngine';
import { buildDenoiser } from '../src/core/models/buildDenoiser';
import type { TrainingPairs } from '../src/core/training/imageBatches';
import { trainDenoiser } from '../src/core/training/trainer';
import { firstImages } from '../src/core/data/imageSet';
import { loadOneDnn } from '../src/core/engine/onednn/loadOneDnn';
import { benchConfig, randomImages, type BenchModel } from './benchModels';

export interface WorkerJob {
  readonly model: BenchModel;
  readonly engine: EngineName;
  readonly samples: number;
  readonly warmupBatches: number;
  readonly threads: number;
  /** The residual CNN's convolutions on oneDNN (true) or on the BLAS products (false); dense rows leave it out. */
  readonly oneDnn?: boolean;
}

export type WorkerResult =
  | { ok: true; backend: string; threads: number; blasLibrary?: string; samples: number; seconds: number; samplesPerSecond: number; peakRssMB: number; tensorsLeaked: number }
  | { ok: false; stage: 'engine' | 'training'; error: string };

async function run(job: WorkerJob): Promise<WorkerResult> {
  const config = benchConfig(job.model);
  if (job.oneDnn === false) process.env.DENOISE_ONEDNN_LIB = 'none';
  if (job.oneDnn) {
    const { onednn, problems } = loadOneDnn();
    if (!onednn) return { ok: false, stage: 'engine', error: `oneDNN did not load (Debian: apt-get install libdnnl2): ${problems.join('; ')}` };
  }
  let engine;
  try {
    engine = await initEngine(job.engine, job.threads);
  } catch (err) {
    return { ok: false, stage: 'engine', error: (err as Error).message };
  }
  try {
    const denoiser = buildDenoiser(config.model, { height: 28, width: 28 }, config.training.seed);
    const batch = config.training.batchSize;
    const inputs = randomImages(job.samples, 1);
    const targets = randomImages(job.samples, 2);
    // Validation is required by the trainer but excluded from its training time; one batch keeps it short.
    const val: TrainingPairs = { inputs: firstImages(inputs, batch), targets: firstImages(targets, batch) };
    const train = (pairs: TrainingPairs) =>
      trainDenoiser({ denoiser, training: config.training, trainPairs: () => pairs, valPairs: val, valQualityImages: 16 });

    // Warm-up: the first steps compile kernels and allocate; they are not what a long run costs per step.
    const warm = Math.min(job.samples, job.warmupBatches * batch);
    if (warm > 0) await train({ inputs: firstImages(inputs, warm), targets: firstImages(targets, warm) });
    const tensorsBefore = tf.memory().numTensors;
    const result = await train({ inputs, targets });
    return {
      ok: true,
      backend: engine.backend,
      threads: engine.threads,
      blasLibrary: engine.blasLibrary,
      samples: job.samples,
      seconds: result.trainSeconds,
      samplesPerSecond: result.samplesPerSecond,
      // maxRSS is in kilobytes.
      peakRssMB: process.resourceUsage().maxRSS / 1024,
      tensorsLeaked: tf.memory().numTensors - tensorsBefore,
    };
  } catch (err) {
    return { ok: false, stage: 'training', error: (err as Error).message };
  }
}

run(JSON.parse(process.argv[2]) as WorkerJob).then(
  (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
  (err) => {
    process.stdout.write(`${JSON.stringify({ ok: false, stage: 'training', error: String(err) })}\n`);
    process.exitCode = 1;
  },
);
