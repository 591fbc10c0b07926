import type { StateValue } from './trainingState';

/** One mini-batch: `count` rows of model inputs and the targets they should produce. */
export interface TrainingBatch {
  readonly inputs: Float32Array;
  readonly targets: Float32Array;
  readonly count: number;
  /** Per-value weights of the loss (Noise2Void's masked pixels 1, the rest 0); absent: every value counts. */
  readonly weights?: Float32Array;
}

/** The batches of one epoch, in training order. */
export interface EpochBatches {
  /** Batch b (0-based) of the epoch; its arrays may be reused by the next batch. */
  batch(b: number): TrainingBatch;
}

/**
 * Where the training batches come from, epoch by epoch (whole images in a shuffled order: imageBatches.ts).
 * Given the same epoch it gives the same batches, so a resumed run trains what an uninterrupted one would.
 */
export interface BatchSource {
  readonly batchesPerEpoch: number;
  /** Prepares the batches of epoch `epoch` (1-based). */
  epoch(epoch: number): EpochBatches;
  /**
   * The position of every random stream the batches draw from, for a checkpoint taken after batch b of
   * the current epoch (streams derived from the seed and the epoch need none; a stream that runs on from
   * batch to batch, like random patch positions, saves its state here).
   */
  resumeState(): StateValue;
  /**
   * Called once, before the first epoch() of a resumed run, with a resumeState() value: the next epoch()
   * and its batches from the checkpoint's batch on give what the uninterrupted run got. Throws when the
   * state does not fit (another dataset size, batch size or source).
   */
  restoreState(state: StateValue): void;
}
