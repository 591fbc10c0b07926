import type { Training } from '../config/experimentConfig.generated';
import type { Denoiser } from '../models/denoiser';
import { directDenseTraining } from './directDenseTraining';
import { directCnnTraining } from './directCnnTraining';
import { directPlanTraining } from './directPlanTraining';
import type { FastStepStrategy, StepStrategy } from './stepStrategy';

/**
 * The fast paths, tried in order; a new one plugs in by adding its strategy here. The dense model's
 * hand-written MSE step comes first, its SGD folded into its BLAS products: it beat the plan's dense layers for
 * the seed's model (784-642-500-642-784, batch 256: 16.9-17.2 ms a step against 24.8-25.8, measured twice on a
 * loaded 2-core AVX-512 machine with the runs given the cores; the plan's JavaScript MSE pass over 200,704
 * outputs is most of the gap). Then the general oneDNN plan for every model it can lower (the VAE, the dense
 * model with BCE or MAE, the convolutional ones, the residual CNN: 1,592 samples/s in the benchmark against
 * 1,178 for the hand-written oneDNN step it replaced, BENCHMARKS.md 2026-12-04). Last the residual CNN's
 * hand-written step on BLAS products, for machines without oneDNN.
 */
const FAST_PATHS: readonly FastStepStrategy[] = [directDenseTraining, directPlanTraining, directCnnTraining];

/**
 * The fast paths whose steps weight the loss per value (Noise2Void's masked pixels): the plan computes its
 * loss in JavaScript (planLoss.ts), so a weight costs one multiply; the hand-written steps fold the loss's
 * gradient into their kernels and take none.
 */
const WEIGHTED_LOSS_PATHS: readonly FastStepStrategy[] = [directPlanTraining];

/** Whether the run's batches carry loss weights (blindSpotMask.ts). */
export function needsWeightedLoss(training: Training): boolean {
  return training.target === 'noise2void';
}

/**
 * The direct training that fits this run, or undefined when none does (other models, losses, engines):
 * those train through TensorFlow.js's tape.
 */
export function directTraining(denoiser: Denoiser, training: Training): StepStrategy | undefined {
  // DENOISE_DIRECT_STEPS=plan skips the hand-written steps, so the benchmark can time the plan against the dense one.
  if (process.env.DENOISE_DIRECT_STEPS === 'plan') return directPlanTraining(denoiser, training);
  for (const fastPath of needsWeightedLoss(training) ? WEIGHTED_LOSS_PATHS : FAST_PATHS) {
    const strategy = fastPath(denoiser, training);
    if (strategy) return strategy;
  }
  return undefined;
}
