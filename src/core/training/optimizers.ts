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
