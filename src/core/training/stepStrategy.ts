import type { Training } from '../config/experimentConfig.generated';
import type { Denoiser } from '../models/denoiser';
import type { StateValue } from './trainingState';

/**
 * How one training step runs: through TensorFlow.js's tape (tapeStep.ts) or on a fast path that holds the
 * weights outside the model between loadWeights and storeWeights (directDenseTraining.ts,
 * directCnnTraining.ts). The epoch loop drives every strategy the same way.
 */
export interface StepStrategy {
  /** Which path runs the steps, and on what library; shown in the log and the run summary. */
  readonly description: string;
  /** Copies the model's current weights in; called before the first step of each epoch. */
  loadWeights(): void;
  /**
   * Trains on n rows of x and y at this learning rate; returns the batch's loss. With `weights` (one per value
   * of y, Noise2Void's masked pixels) the loss is their weighted mean; only the tape and the oneDNN plan take
   * weights (directTraining.ts keeps the other fast paths off such runs).
   */
  step(x: Float32Array, y: Float32Array, n: number, learningRate: number, weights?: Float32Array): number;
  /** Writes the trained weights back into the model; called before anything reads the model. */
  storeWeights(): void;
  /**
   * The optimizer's state the next step depends on (moments, accumulated momentum, step count and bias
   * corrections), for a checkpoint; called between batches. Large arrays go in as Float32Array copies.
   * A strategy whose optimizer keeps no state (plain SGD) returns an object naming its optimizer.
   */
  resumeState(): StateValue | Promise<StateValue>;
  /**
   * Puts a state from resumeState() back, before the first step of a resumed run, so its next step is
   * the one the uninterrupted run took. Throws (saying what differs) when the state is another optimizer's
   * or another model's.
   */
  restoreState(state: StateValue): void | Promise<void>;
  /** Frees what the steps held (tensors, native memory, worker threads). */
  dispose(): void;
}

/** A fast path: its step strategy when it fits this model, loss and engine, otherwise undefined. */
export type FastStepStrategy = (denoiser: Denoiser, training: Training) => StepStrategy | undefined;
