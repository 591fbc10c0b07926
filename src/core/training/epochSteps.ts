import type { Training } from '../config/experimentConfig.generated';
import type { BatchSource } from './batchSource';
import type { SeedCounter } from '../random/seedCounter';
import type { DivergenceGuard } from './divergenceGuard';
import type { TrainingEventListener } from './events';
import { batchLearningRate } from './learningRateSchedule';
import type { RunPosition } from './runPosition';
import type { StepStrategy } from './stepStrategy';
import type { TrainingProgress } from './trainingProgress';
import type { CheckpointSink, EpochSoFar, TrainingState } from './trainingState';

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
  /** Where checkpoints go: within an epoch when due(), and after each epoch. */
  readonly checkpoints?: CheckpointSink;
  /** The model's own training noise (a VAE's), saved with each checkpoint. */
  readonly trainingNoise?: SeedCounter;
  /** The sums of the first epoch up to its checkpoint batch, when this session resumes within an epoch. */
  readonly resumedEpoch?: EpochSoFar;
  /** The loop's state for a checkpoint (loopState.ts); the model holds the weights when it is called. */
  readonly captureState?: (epochsDone: number, batchesDone: number, soFar?: EpochSoFar) => Promise<TrainingState>;
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
  /** Seconds this session spent making the epoch's batches, which each step waits for. */
  readonly dataSeconds: number;
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
  const firstBatch = run.position.startBatch(epoch);
  const soFar = firstBatch > 0 ? run.resumedEpoch : undefined;
  const startedAt = performance.now() - (soFar?.seconds ?? 0) * 1000;
  let lossSum = soFar?.lossSum ?? 0;
  let samples = soFar?.samples ?? 0;
  let learningRate = soFar?.learningRate ?? run.training.learningRate;
  let stopped = false;
  let dataMs = 0;
  steps.loadWeights();
  for (let b = firstBatch; b < batches.batchesPerEpoch; b++) {
    if (run.signal?.aborted) {
      stopped = true;
      break;
    }
    learningRate = batchLearningRate(run.training, run.position, epoch, b);
    const { loss, count } = progress.timeStep(() => {
      const asked = performance.now();
      const batch = epochBatches.batch(b);
      dataMs += performance.now() - asked;
      const loss = steps.step(batch.inputs, batch.targets, batch.count, learningRate, batch.weights);
      return { loss, count: batch.count };
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
    // The epoch's end takes its own checkpoint after validation, so none is taken after its last batch.
    if (b + 1 < batches.batchesPerEpoch && run.checkpoints?.due() && run.captureState) {
      steps.storeWeights();
      const seconds = (performance.now() - startedAt) / 1000;
      await run.checkpoints.save(await run.captureState(epoch - 1, b + 1, { lossSum, samples, learningRate, seconds }));
    }
  }
  // Before validation, checkpoints and early stopping read the model.
  steps.storeWeights();
  return { stopped, samples, lossSum, learningRate, startedAt, dataSeconds: dataMs / 1000 };
}
