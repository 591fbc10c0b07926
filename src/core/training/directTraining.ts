import type { Training } from '../config/experimentConfig.generated';
import type { Denoiser } from '../models/denoiser';
import { directDenseTraining } from './directDenseTraining';
import { directCnnTraining } from './directCnnTraining';
import { directPlanTraining } from './directPlanTraining';

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
 * The direct training that fits this run, or undefined when none does (other models, losses, engines): those
 * train through TensorFlow.js's tape. The two hand-written steps come first (the dense model's SGD folded into
 * its BLAS products; the residual CNN's, which also runs without oneDNN), then the general oneDNN plan.
 */
export function directTraining(denoiser: Denoiser, training: Training): DirectTraining | undefined {
  // DENOISE_DIRECT_STEPS=plan skips the hand-written steps, so the benchmark can time the plan against them.
  if (process.env.DENOISE_DIRECT_STEPS === 'plan') return directPlanTraining(denoiser, training);
  return directDenseTraining(denoiser, training) ?? directCnnTraining(denoiser, training) ?? directPlanTraining(denoiser, training);
}
