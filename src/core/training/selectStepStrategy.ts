import type { Training } from '../config/experimentConfig.generated';
import type { Denoiser } from '../models/denoiser';
import { directTraining } from './directTraining';
import type { TrainingEventListener } from './events';
import type { StepStrategy } from './stepStrategy';
import { tapeStepStrategy } from './tapeStep';

/**
 * The fast path that fits this run (announced in the log), else TensorFlow.js's tape. `directSteps: false`
 * always takes the tape, so tests can compare the two.
 */
export function selectStepStrategy(
  denoiser: Denoiser,
  training: Training,
  directSteps: boolean,
  onEvent?: TrainingEventListener,
): StepStrategy {
  const fast = directSteps ? directTraining(denoiser, training) : undefined;
  if (!fast) return tapeStepStrategy(denoiser, training);
  onEvent?.({ type: 'log', message: `Training: ${fast.description}.` });
  return fast;
}
