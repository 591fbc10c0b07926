import * as tf from '@tensorflow/tfjs';
import type { Training } from '../config/experimentConfig.generated';

export function makeOptimizer(training: Training): tf.Optimizer {
  switch (training.optimizer) {
    case 'sgd':
      return tf.train.sgd(training.learningRate);
    case 'momentum':
      return tf.train.momentum(training.learningRate, training.momentum);
    case 'adam':
      return tf.train.adam(training.learningRate);
  }
}

/**
 * Changes the step size of an optimizer made by makeOptimizer, from its next step on. TensorFlow.js 4.22
 * keeps it differently per optimizer: SGD and momentum (a subclass of SGD) multiply by a kept scalar that
 * only setLearningRate renews; Adam reads its (protected) learningRate number at every step and has no setter.
 */
export function setLearningRate(optimizer: tf.Optimizer, kind: Training['optimizer'], learningRate: number): void {
  switch (kind) {
    case 'sgd':
    case 'momentum':
      (optimizer as tf.SGDOptimizer).setLearningRate(learningRate);
      return;
    case 'adam':
      (optimizer as unknown as { learningRate: number }).learningRate = learningRate;
      return;
  }
}
