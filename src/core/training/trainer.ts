import * as tf from '@tensorflow/tfjs';
import type { Training } from '../config/experimentConfig.generated';
import { firstImages, pixelsPerImage, type ImageSet } from '../data/imageSet';
import type { Denoiser } from '../models/denoiser';
import { imageMetrics } from '../metrics/imageMetrics';
import { predictWithLoss } from '../evaluation/predictImages';
import type { EpochRecord, RunStatus, TrainingEventListener } from './events';
import { BatchPlan, gatherRows } from './batches';
import { DivergenceGuard } from './divergenceGuard';
import { BestWeights } from './earlyStopping';
import { reconstructionLoss } from '../evaluation/losses';
import { isConstantSchedule, learningRateAt } from './learningRateSchedule';
import { collapsedOutputWarning } from './collapsedOutput';
import { makeOptimizer, setLearningRate } from './optimizers';
import { directTraining } from './directTraining';

/** Model inputs and the outputs it should produce, image for image. */
export interface TrainingPairs {
  readonly inputs: ImageSet;
  readonly targets: ImageSet;
}

export interface TrainOptions {
  readonly denoiser: Denoiser;
  readonly training: Training;
  /** Training pairs of an epoch (1-based); fresh noise each epoch returns new inputs. */
  readonly trainPairs: (epoch: number) => TrainingPairs;
  readonly valPairs: TrainingPairs;
  readonly onEvent?: TrainingEventListener;
  /** Runs after each epoch (writing metrics, sample images, checkpoints) before the next one starts. */
  readonly afterEpoch?: (record: EpochRecord) => Promise<void> | void;
  /** Aborting stops the run after the current batch. */
  readonly signal?: AbortSignal;
  /** Validation quality (PSNR, SSIM) is measured on at most this many images per epoch; the loss uses all. */
  readonly valQualityImages?: number;
  /**
   * Resuming an interrupted run: the epochs already done (from its metrics.jsonl). Training continues at the
   * next epoch with the same per-epoch shuffles and noise, and early stopping counts from their losses.
   */
  readonly history?: readonly EpochRecord[];
  /**
   * false trains every model through TensorFlow.js's tape, even where a direct BLAS step exists (directTraining.ts:
   * dense SGD and the residual CNN, MSE, on wasm-blas); tests compare the two.
   */
  readonly directSteps?: boolean;
}

export interface TrainResult {
  readonly status: Extract<RunStatus, 'completed' | 'stopped' | 'earlyStopped'>;
  readonly epochs: readonly EpochRecord[];
  readonly bestEpoch: number;
  /** Training time only (validation excluded), for samples/s. */
  readonly trainSeconds: number;
  readonly samplesPerSecond: number;
  /** How each step ran: a direct path's description (which library did the products), or the tape. */
  readonly steps: string;
}

/** Yields to the event loop so messages (a Stop request, progress reads) are handled between batches. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Trains a denoiser with mini-batch gradient descent. Throws DivergenceError when the loss becomes NaN or
 * explodes; returns normally when finished, stopped by the signal, or stopped early.
 */
export async function trainDenoiser(options: TrainOptions): Promise<TrainResult> {
  const { denoiser, training, onEvent, signal } = options;
  const history = options.history ?? [];
  const firstEpoch = history.length + 1;
  const first = options.trainPairs(firstEpoch);
  const size = pixelsPerImage(first.inputs);
  const plan = new BatchPlan(first.inputs.count, training.batchSize, training.seed);
  const optimizer = makeOptimizer(training);
  const guard = new DivergenceGuard(training.divergenceFactor, training.learningRate, training.optimizer);
  const best = new BestWeights(denoiser.model, training.earlyStopping?.patience, training.earlyStopping?.minDelta ?? 0);
  for (const earlier of history) best.record(earlier.epoch, earlier.valLoss, false);
  // Frozen layers (transfer learning) are excluded by taking only the trainable weights.
  const variables = denoiser.model.trainableWeights.map((w: tf.LayerVariable) => w.read() as tf.Variable);
  const inputBuffer = new Float32Array(training.batchSize * size);
  const targetBuffer = new Float32Array(training.batchSize * size);
  const valQuality = {
    inputs: firstImages(options.valPairs.inputs, options.valQualityImages ?? 2000),
    targets: firstImages(options.valPairs.targets, options.valQualityImages ?? 2000),
  };

  const records: EpochRecord[] = [];
  let trainSeconds = 0;
  let samplesSeen = 0;
  let status: TrainResult['status'] = 'completed';
  const runStart = performance.now();
  // Said once a run: a collapsed model stays collapsed.
  let warnedOfCollapse = false;
  // Batches of this session only, so a resumed run's time estimate is not skewed by the epochs done before.
  const totalBatches = (training.epochs - history.length) * plan.batchesPerEpoch;
  // The schedule runs over the whole run's batches, so a resumed run picks it up where it stopped.
  const schedule = training.learningRateSchedule;
  const scheduled = !isConstantSchedule(schedule);
  const runBatches = training.epochs * plan.batchesPerEpoch;
  let learningRate = training.learningRate;
  const direct = options.directSteps === false ? undefined : directTraining(denoiser, training);
  if (direct) onEvent?.({ type: 'log', message: `Training: ${direct.description}.` });
  /** One step through TensorFlow.js's tape and optimizer; returns the batch's loss. */
  const tapeStep = (inputs: Float32Array, targets: Float32Array, n: number): number =>
    tf.tidy(() => {
      const x = tf.tensor2d(inputs, [n, size]);
      const y = tf.tensor2d(targets, [n, size]);
      const cost = optimizer.minimize(
        () => {
          const { output, extraLoss } = denoiser.trainForward(x);
          const recon = reconstructionLoss(training.loss, y, output);
          return extraLoss ? tf.add(recon, extraLoss) : recon;
        },
        true,
        variables,
      );
      return cost ? cost.dataSync()[0] : NaN;
    });

  try {
    for (let epoch = firstEpoch; epoch <= training.epochs && status === 'completed'; epoch++) {
      const pairs = epoch === firstEpoch ? first : options.trainPairs(epoch);
      const order = plan.order(epoch);
      let lossSum = 0;
      let epochSamples = 0;
      const epochStart = performance.now();
      direct?.loadWeights();
      for (let b = 0; b < plan.batchesPerEpoch; b++) {
        if (signal?.aborted) {
          status = 'stopped';
          break;
        }
        const indices = plan.batchIndices(order, b);
        const n = indices.length;
        if (scheduled) {
          const rate = learningRateAt(training.learningRate, schedule, {
            batch: (epoch - 1) * plan.batchesPerEpoch + b,
            totalBatches: runBatches,
            batchesPerEpoch: plan.batchesPerEpoch,
          });
          if (rate !== learningRate) setLearningRate(optimizer, training.optimizer, rate);
          learningRate = rate;
        }
        const stepStart = performance.now();
        const x = gatherRows(pairs.inputs.pixels, size, indices, inputBuffer);
        const y = gatherRows(pairs.targets.pixels, size, indices, targetBuffer);
        const loss = direct ? direct.step(x, y, n, learningRate) : tapeStep(x, y, n);
        trainSeconds += (performance.now() - stepStart) / 1000;
        guard.check(loss, epoch, b + 1);
        lossSum += loss * n;
        epochSamples += n;
        samplesSeen += n;
        const done = (epoch - firstEpoch) * plan.batchesPerEpoch + b + 1;
        const elapsed = (performance.now() - runStart) / 1000;
        onEvent?.({
          type: 'batch',
          epoch,
          batch: b + 1,
          batchesPerEpoch: plan.batchesPerEpoch,
          loss,
          samplesPerSecond: samplesSeen / trainSeconds,
          etaSeconds: (elapsed / done) * (totalBatches - done),
        });
        await nextTurn();
      }
      // Before validation, checkpoints and early stopping read the model.
      direct?.storeWeights();
      // A stop mid-epoch records no partial epoch: the curve shows only whole passes over the data.
      if (status === 'stopped' || epochSamples === 0) break;

      const val = predictWithLoss(denoiser, options.valPairs.inputs, options.valPairs.targets, training.loss);
      const quality = imageMetrics(valQuality.targets, firstImages(val.predictions, valQuality.targets.count));
      const isBest = best.record(epoch, val.loss);
      const record: EpochRecord = {
        epoch,
        trainLoss: lossSum / epochSamples,
        valLoss: val.loss,
        val: quality,
        seconds: (performance.now() - epochStart) / 1000,
        samplesPerSecond: epochSamples / ((performance.now() - epochStart) / 1000),
        best: isBest,
        learningRate,
      };
      records.push(record);
      const elapsed = (performance.now() - runStart) / 1000;
      const sessionEpochs = epoch - history.length;
      onEvent?.({ type: 'epoch', epochs: training.epochs, etaSeconds: (elapsed / sessionEpochs) * (training.epochs - epoch), ...record });
      const collapsed = warnedOfCollapse ? undefined : collapsedOutputWarning(epoch, firstImages(val.predictions, valQuality.targets.count).pixels, training.loss);
      if (collapsed) {
        warnedOfCollapse = true;
        onEvent?.({ type: 'log', message: collapsed });
      }
      await options.afterEpoch?.(record);
      if (status === 'completed' && best.shouldStop() && epoch < training.epochs) status = 'earlyStopped';
    }
    if (status === 'earlyStopped') best.restore();
  } finally {
    best.dispose();
    optimizer.dispose();
    direct?.dispose();
  }
  return {
    status,
    epochs: records,
    bestEpoch: best.epoch,
    trainSeconds,
    samplesPerSecond: trainSeconds > 0 ? samplesSeen / trainSeconds : 0,
    steps: direct?.description ?? "TensorFlow.js's tape and optimizer",
  };
}
