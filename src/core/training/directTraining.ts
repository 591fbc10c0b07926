import type { Training } from '../config/experimentConfig.generated';
import type { Denoiser } from '../models/denoiser';
import { directDenseTraining } from './directDenseTraining';
import { directCnnTraining } from './directCnnTraining';

/** Training that runs each step straight on BLAS, holding the weights between loadWeights and storeWeights. */
export interface DirectTraining {
  readonly description: string;
  /** Copies the model's current weights in; call before the first step of an epoch. */
  loadWeights(): void;
  /** Trains on n rows of x and y; returns the batch's loss. */
  step(x: Float32Array, y: Float32Array, n: number, learningRate: number): number;
  /** Writes the trained weights back into the model; call before anything reads the model. */
  storeWeights(): void;
  /** Ends what the steps held besides memory (the residual CNN's BLAS worker threads). */
  dispose(): void;
}

/**
 * The direct BLAS training that fits this run, or undefined when none does (other models, losses, engines):
 * those train through TensorFlow.js's tape.
 */
export function directTraining(denoiser: Denoiser, training: Training): DirectTraining | undefined {
  return directDenseTraining(denoiser, training) ?? directCnnTraining(denoiser, training);
}
