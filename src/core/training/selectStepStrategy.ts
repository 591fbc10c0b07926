import type { Training } from '../config/experimentConfig.generated';
import type { Denoiser } from '../models/denoiser';
import { directTraining, needsWeightedLoss } from './directTraining';
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
  if (!fast) {
    // Said only here: a Noise2Void run that misses the plan trains several times slower than a supervised one.
    if (directSteps && needsWeightedLoss(training)) {
      onEvent?.({
        type: 'log',
        message:
          "Training: TensorFlow.js's tape. Noise2Void's loss counts the masked pixels only, and of the fast paths " +
          'only the oneDNN plan takes per-pixel loss weights; it does not run this model here.',
      });
    }
    return tapeStepStrategy(denoiser, training);
  }
  onEvent?.({ type: 'log', message: `Training: ${fast.description}.` });
  return fast;
}
