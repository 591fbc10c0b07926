import type { Training } from '../config/experimentConfig.generated';
import type { BatchSource } from './batchSource';
import type { DivergenceGuard } from './divergenceGuard';
import type { TrainingEventListener } from './events';
import { batchLearningRate } from './learningRateSchedule';
import type { RunPosition } from './runPosition';
import type { StepStrategy } from './stepStrategy';
import type { TrainingProgress } from './trainingProgress';

/** What training one epoch's batches needs. */
export interface EpochStepsContext {
  readonly training: Training;
  readonly position: RunPosition;
  readonly batches: BatchSource;
  readonly steps: StepStrategy;
  readonly guard: DivergenceGuard;
  readonly progress: TrainingProgress;
  readonly onEvent?: TrainingEventListener;
  /** Aborting stops the run before the next batch. */
  readonly signal?: AbortSignal;
}

/** How one epoch's batches went. */
export interface EpochSteps {
  /** True when the signal stopped the epoch before its last batch. */
  readonly stopped: boolean;
  readonly samples: number;
  /** Sum over the batches of loss x batch size. */
  readonly lossSum: number;
  /** The rate of the epoch's last batch. */
  readonly learningRate: number;
  /** performance.now() when the epoch's first batch started. */
  readonly startedAt: number;
}

/** Yields to the event loop so messages (a Stop request, progress reads) are handled between batches. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Trains on each batch of one epoch, reporting every batch; throws DivergenceError when the loss becomes NaN
 * or explodes. The model holds the trained weights when it returns.
 */
export async function trainEpochSteps(run: EpochStepsContext, epoch: number): Promise<EpochSteps> {
  const { batches, steps, progress } = run;
  const epochBatches = batches.epoch(epoch);
  const startedAt = performance.now();
  let lossSum = 0;
  let samples = 0;
  let learningRate = run.training.learningRate;
  let stopped = false;
  steps.loadWeights();
  for (let b = 0; b < batches.batchesPerEpoch; b++) {
    if (run.signal?.aborted) {
      stopped = true;
      break;
    }
    learningRate = batchLearningRate(run.training, run.position, epoch, b);
    const { loss, count } = progress.timeStep(() => {
      const batch = epochBatches.batch(b);
      return { loss: steps.step(batch.inputs, batch.targets, batch.count, learningRate), count: batch.count };
    });
    run.guard.check(loss, epoch, b + 1);
    lossSum += loss * count;
    samples += count;
    run.onEvent?.({
      type: 'batch',
      epoch,
      batch: b + 1,
      batchesPerEpoch: batches.batchesPerEpoch,
      loss,
      samplesPerSecond: progress.samplesPerSecond,
      etaSeconds: progress.etaAfterBatch(epoch, b),
    });
    await nextTurn();
  }
  // Before validation, checkpoints and early stopping read the model.
  steps.storeWeights();
  return { stopped, samples, lossSum, learningRate, startedAt };
}
