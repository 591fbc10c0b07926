import * as tf from '@tensorflow/tfjs';
import type { Training } from '../config/experimentConfig.generated';
import type { Denoiser } from '../models/denoiser';
import { reconstructionLoss } from '../evaluation/losses';
import { makeOptimizer, setLearningRate } from './optimizers';
import type { StepStrategy } from './stepStrategy';
import { restoreTapeOptimizer, tapeOptimizerState } from './tapeOptimizerState';

/**
 * Steps through TensorFlow.js's tape and optimizer: trains any model with any loss, on the model's own
 * variables (so loading and storing weights do nothing).
 */
export function tapeStepStrategy(denoiser: Denoiser, training: Training): StepStrategy {
  const optimizer = makeOptimizer(training);
  let optimizerRate = training.learningRate;
  // Frozen layers (transfer learning) are excluded by taking only the trainable weights.
  const variables = denoiser.model.trainableWeights.map((w: tf.LayerVariable) => w.read() as tf.Variable);
  return {
    description: "TensorFlow.js's tape and optimizer",
    loadWeights: () => undefined,
    step(x, y, n, learningRate, weights) {
      if (learningRate !== optimizerRate) setLearningRate(optimizer, training.optimizer, learningRate);
      optimizerRate = learningRate;
      return tf.tidy(() => {
        const inputs = tf.tensor2d(x, [n, x.length / n]);
        const targets = tf.tensor2d(y, [n, y.length / n]);
        const lossWeights = weights && tf.tensor2d(weights.subarray(0, y.length), [n, y.length / n]);
        const cost = optimizer.minimize(
          () => {
            const { output, extraLoss } = denoiser.trainForward(inputs);
            const recon = reconstructionLoss(training.loss, targets, output, lossWeights);
            return extraLoss ? tf.add(recon, extraLoss) : recon;
          },
          true,
          variables,
        );
        return cost ? cost.dataSync()[0] : NaN;
      });
    },
    storeWeights: () => undefined,
    resumeState: () => tapeOptimizerState(optimizer, training.optimizer),
    restoreState: (state) => restoreTapeOptimizer(optimizer, training.optimizer, variables, state),
    dispose: () => optimizer.dispose(),
  };
}
