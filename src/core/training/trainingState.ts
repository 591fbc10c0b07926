import type { SeedCounterState } from '../random/seedCounter';

/**
 * A part's saved state: plain JSON, except that Float32Arrays (optimizer moments, weights) are allowed
 * anywhere and go to the checkpoint's binary file (runs/trainingStateFile.ts); non-finite numbers survive too.
 */
export type StateValue =
  number | string | boolean | null | Float32Array | readonly StateValue[] | { readonly [key: string]: StateValue };

/** The sums of an epoch under way, so a run resumed mid-epoch records the same epoch line. */
export interface EpochSoFar {
  readonly lossSum: number;
  readonly samples: number;
  /** The rate of the last batch trained. */
  readonly learningRate: number;
  /** Wall-clock seconds of the epoch so far (a wall-clock figure: not expected to match an uninterrupted run). */
  readonly seconds: number;
}

/**
 * Everything the next training step depends on besides the model's weights (saved next to it), taken
 * between two batches. The learning-rate schedule is a function of the position (learningRateSchedule.ts),
 * and the shuffles and the training noise are drawn from streams derived from the seed and the epoch, so the
 * position restores them; every stream that runs on across batches saves its own state here.
 */
export interface TrainingState {
  readonly format: 1;
  /** Epochs finished before the checkpoint. */
  readonly epochsDone: number;
  /** Batches of the next epoch already trained (0 at an epoch's end). */
  readonly batchesDone: number;
  readonly batchesPerEpoch: number;
  /** The epoch under way; absent at an epoch's end. */
  readonly epochSoFar?: EpochSoFar;
  /** StepStrategy.resumeState(): the optimizer's moments and step count. */
  readonly steps: StateValue;
  /** BatchSource.resumeState(): its streams' positions. */
  readonly batches: StateValue;
  /** The model's own training noise (a VAE's latent draws), null when it draws none. */
  readonly modelNoise: SeedCounterState | null;
  /** BestWeights.resumeState(): best loss, patience count and the best epoch's weights. */
  readonly earlyStopping: StateValue;
  /** DivergenceGuard.resumeState(): the loss scale it compares against. */
  readonly divergence: StateValue;
  /** Whether the collapsed-output warning was already given. */
  readonly collapseWarned: boolean;
}

/** Where the trainer hands its checkpoints: the experiment writes them into the run folder (checkpoint.ts). */
export interface CheckpointSink {
  /** True when it is time for a checkpoint between two batches of an epoch (output.checkpointMinutes). */
  due(): boolean;
  /** Saves the model (it holds the current weights) with this state; resolves once the checkpoint is committed. */
  save(state: TrainingState): Promise<void>;
}

/** A state object's field, or an error naming what the checkpoint lacks. */
export function stateField(state: StateValue, key: string, what: string): StateValue {
  if (
    state === null ||
    typeof state !== 'object' ||
    Array.isArray(state) ||
    state instanceof Float32Array ||
    !(key in state)
  ) {
    throw new Error(`the checkpoint's ${what} has no ${key}`);
  }
  return (state as { readonly [key: string]: StateValue })[key];
}

/** A state field that must be a number (Infinity and NaN included). */
export function stateNumber(state: StateValue, key: string, what: string): number {
  const value = stateField(state, key, what);
  if (typeof value !== 'number') throw new Error(`the checkpoint's ${what}.${key} is not a number`);
  return value;
}

/** A state field that must be a list of float arrays. */
export function stateArrays(state: StateValue, key: string, what: string): Float32Array[] {
  const value = stateField(state, key, what);
  if (!Array.isArray(value) || !value.every((a) => a instanceof Float32Array)) {
    throw new Error(`the checkpoint's ${what}.${key} is not a list of arrays`);
  }
  return value as Float32Array[];
}
