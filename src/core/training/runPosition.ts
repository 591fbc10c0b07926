/**
 * Where this session stands in the whole run. A resumed run starts after the epochs already done (and,
 * from a checkpoint taken within an epoch, after that epoch's first batches): its
 * learning-rate schedule counts batches over the whole run, while its time estimate counts only this
 * session's batches, so it is not skewed by the epochs done before.
 */
export class RunPosition {
  readonly firstEpoch: number;

  constructor(
    /** Epochs finished before this session (a resumed run's history). */
    readonly epochsDone: number,
    readonly epochs: number,
    readonly batchesPerEpoch: number,
    /** Batches of the first epoch already trained before this session (a checkpoint taken within it). */
    readonly firstBatch = 0,
  ) {
    this.firstEpoch = epochsDone + 1;
  }

  /** Batches of the whole run, resumed or not. */
  get runBatches(): number {
    return this.epochs * this.batchesPerEpoch;
  }

  /** Batches this session trains when it runs to the last epoch. */
  get sessionBatches(): number {
    return (this.epochs - this.epochsDone) * this.batchesPerEpoch - this.firstBatch;
  }

  /** Index of batch b (0-based) of an epoch (1-based) within the whole run, counting from 0. */
  runBatch(epoch: number, b: number): number {
    return (epoch - 1) * this.batchesPerEpoch + b;
  }

  /** Batches this session has trained once batch b (0-based) of an epoch is done. */
  sessionBatchesDone(epoch: number, b: number): number {
    return (epoch - this.firstEpoch) * this.batchesPerEpoch + b + 1 - this.firstBatch;
  }

  /** Epochs this session has trained once an epoch is done (a part of one counts as that part). */
  sessionEpochsDone(epoch: number): number {
    return epoch - this.epochsDone - this.firstBatch / this.batchesPerEpoch;
  }

  /** The batch (0-based) an epoch starts at in this session: the first epoch's checkpoint batch, else 0. */
  startBatch(epoch: number): number {
    return epoch === this.firstEpoch ? this.firstBatch : 0;
  }
}
