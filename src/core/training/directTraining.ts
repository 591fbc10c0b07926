import type { Training } from '../config/experimentConfig.generated';
import type { Denoiser } from '../models/denoiser';
import { directDenseTraining } from './directDenseTraining';
import { directCnnTraining } from './directCnnTraining';
import type { FastStepStrategy, StepStrategy } from './stepStrategy';

/** The fast paths, tried in order; a new one plugs in by adding its strategy here. */
const FAST_PATHS: readonly FastStepStrategy[] = [directDenseTraining, directCnnTraining];

/**
 * The direct training that fits this run, or undefined when none does (other models, losses, engines):
 * those train through TensorFlow.js's tape.
 */
export function directTraining(denoiser: Denoiser, training: Training): StepStrategy | undefined {
  for (const fastPath of FAST_PATHS) {
    const strategy = fastPath(denoiser, training);
    if (strategy) return strategy;
  }
  return undefined;
}
