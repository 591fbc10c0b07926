import type { Training } from '../config/experimentConfig.generated';
import type { Denoiser } from '../models/denoiser';

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
  /** Trains on n rows of x and y at this learning rate; returns the batch's loss. */
  step(x: Float32Array, y: Float32Array, n: number, learningRate: number): number;
  /** Writes the trained weights back into the model; called before anything reads the model. */
  storeWeights(): void;
  /** Frees what the steps held (tensors, native memory, worker threads). */
  dispose(): void;
}

/** A fast path: its step strategy when it fits this model, loss and engine, otherwise undefined. */
export type FastStepStrategy = (denoiser: Denoiser, training: Training) => StepStrategy | undefined;
