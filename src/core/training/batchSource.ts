/** One mini-batch: `count` rows of model inputs and the targets they should produce. */
export interface TrainingBatch {
  readonly inputs: Float32Array;
  readonly targets: Float32Array;
  readonly count: number;
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
}
