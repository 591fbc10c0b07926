import type { Training } from '../config/experimentConfig.generated';
import type { Denoiser } from '../models/denoiser';
import { bestWeightsFor } from './bestWeights';
import { CollapseWatch } from './collapsedOutput';
import { DivergenceGuard } from './divergenceGuard';
import { runEpochs, type EpochLoopContext, type TrainingEnd } from './epochLoop';
import type { BatchSource } from './batchSource';
import { epochValidation, type EpochValidation } from './epochValidation';
import type { EpochRecord, TrainingEventListener } from './events';
import { shuffledImageBatches, type TrainingPairs } from './imageBatches';
import { RunPosition } from './runPosition';
import { captureTrainingState, restoreTrainingState } from './loopState';
import { selectStepStrategy } from './selectStepStrategy';
import { TrainingProgress } from './trainingProgress';
import type { CheckpointSink, TrainingState } from './trainingState';

export interface TrainOptions {
  readonly denoiser: Denoiser;
  readonly training: Training;
  /** Training pairs of an epoch (1-based); fresh noise each epoch returns new inputs. Unread with `batches`. */
  readonly trainPairs?: (epoch: number) => TrainingPairs;
  /** Validation pairs of equal-size images. Unread with `validate`. */
  readonly valPairs?: TrainingPairs;
  /**
   * Where batches come from instead of trainPairs' whole images: patches cut afresh each epoch
   * (training/patchBatches.ts).
   */
  readonly batches?: BatchSource;
  /** Validation instead of valPairs': whole images of any size, through a fully convolutional model. */
  readonly validate?: () => EpochValidation;
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
   * Resuming exactly: the state saved with the checkpoint the model was loaded from (after history's
   * epochs and its batchesDone batches of the next). Without it a resumed run restarts its optimizer.
   */
  readonly resume?: TrainingState;
  /** Receives a checkpoint after each epoch, and within epochs when it says one is due. */
  readonly checkpoints?: CheckpointSink;
  /**
   * false trains every model through TensorFlow.js's tape, even where a direct BLAS step exists (directTraining.ts:
   * dense SGD and the residual CNN, MSE, on wasm-blas); tests compare the two.
   */
  readonly directSteps?: boolean;
}

export interface TrainResult {
  readonly status: TrainingEnd;
  readonly epochs: readonly EpochRecord[];
  readonly bestEpoch: number;
  /** Training time only (validation excluded), for samples/s. */
  readonly trainSeconds: number;
  readonly samplesPerSecond: number;
  /** How each step ran: a direct path's description (which library did the products), or the tape. */
  readonly steps: string;
}

/**
 * Trains a denoiser with mini-batch gradient descent. Throws DivergenceError when the loss becomes NaN or
 * explodes; returns normally when finished, stopped by the signal, or stopped early.
 */
export async function trainDenoiser(options: TrainOptions): Promise<TrainResult> {
  const run = startTraining(options);
  try {
    if (options.resume) await restoreTrainingState(run, options.resume);
    const status = await runEpochs(run);
    if (status === 'earlyStopped') run.best.restore();
    return trainResult(run, status);
  } finally {
    run.best.dispose();
    run.steps.dispose();
  }
}

/** Assembles the epoch loop's parts for this session, resumed or not. */
function startTraining(options: TrainOptions): EpochLoopContext {
  const { denoiser, training } = options;
  const history = options.history ?? [];
  const resume = options.resume;
  if (resume && resume.epochsDone !== history.length) {
    throw new Error(`the checkpoint was taken after ${resume.epochsDone} epochs, but ${history.length} are recorded`);
  }
  const batches =
    options.batches ?? shuffledImageBatches(required(options.trainPairs, 'trainPairs'), history.length + 1, training);
  const position = new RunPosition(history.length, training.epochs, batches.batchesPerEpoch, resume?.batchesDone ?? 0);
  const run: EpochLoopContext = {
    training,
    position,
    batches,
    guard: new DivergenceGuard(training.divergenceFactor, training.learningRate, training.optimizer),
    best: bestWeightsFor(denoiser.model, training, history),
    progress: new TrainingProgress(position),
    steps: selectStepStrategy(denoiser, training, options.directSteps !== false, options.onEvent),
    validate:
      options.validate ??
      epochValidation(
        denoiser,
        required(options.valPairs, 'valPairs'),
        training.loss,
        options.valQualityImages ?? 2000,
      ),
    collapse: new CollapseWatch(training.loss),
    records: [],
    onEvent: options.onEvent,
    afterEpoch: options.afterEpoch,
    signal: options.signal,
    checkpoints: options.checkpoints,
    trainingNoise: denoiser.trainingNoise,
    resumedEpoch: resume?.epochSoFar,
    captureState: (epochsDone, batchesDone, soFar) => captureTrainingState(run, epochsDone, batchesDone, soFar),
  };
  return run;
}

function required<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new Error(`trainDenoiser needs ${name} (or its replacement) to train`);
  return value;
}

function trainResult(run: EpochLoopContext, status: TrainingEnd): TrainResult {
  const { trainSeconds, samplesPerSecond } = run.progress;
  return {
    status,
    epochs: run.records,
    bestEpoch: run.best.epoch,
    trainSeconds,
    samplesPerSecond: trainSeconds > 0 ? samplesPerSecond : 0,
    steps: run.steps.description,
  };
}
