import * as tf from '@tensorflow/tfjs';
import type { Training } from '../config/experimentConfig.generated';

/** Applies gradients to weights held in plain arrays, for the steps that run directly on BLAS. */
export interface DirectOptimizer {
  /** weights[i] -= update(gradients[i]); the arrays pair up one to one and keep their sizes between calls. */
  apply(weights: readonly Float32Array[], gradients: readonly Float32Array[], learningRate: number): void;
}

/**
 * The update rules of tf.train.sgd, tf.train.momentum (not Nesterov) and tf.train.adam (beta1 0.9, beta2 0.999,
 * epsilon the backend's), written out as TensorFlow.js 4.22's optimizers compute them, so a direct run and a
 * run through the tape end at the same weights (the tests compare them to 1e-4). The state (momentum's
 * accumulation, Adam's moments and its running beta powers) lives as long as the run, as it does in
 * the optimizer TensorFlow.js keeps for the run.
 */
export function directOptimizer(training: Training, sizes: readonly number[]): DirectOptimizer {
  switch (training.optimizer) {
    case 'sgd':
      return {
        apply(weights, gradients, learningRate) {
          weights.forEach((w, i) => {
            const g = gradients[i];
            for (let j = 0; j < w.length; j++) w[j] -= learningRate * g[j];
          });
        },
      };
    case 'momentum': {
      const momentum = training.momentum;
      const accumulations = sizes.map((n) => new Float32Array(n));
      return {
        apply(weights, gradients, learningRate) {
          weights.forEach((w, i) => {
            const g = gradients[i];
            const a = accumulations[i];
            for (let j = 0; j < w.length; j++) {
              a[j] = momentum * a[j] + g[j];
              w[j] -= learningRate * a[j];
            }
          });
        },
      };
    }
    case 'adam': {
      const beta1 = 0.9;
      const beta2 = 0.999;
      const epsilon = tf.backend().epsilon();
      const first = sizes.map((n) => new Float32Array(n));
      const second = sizes.map((n) => new Float32Array(n));
      let beta1Power = beta1;
      let beta2Power = beta2;
      return {
        apply(weights, gradients, learningRate) {
          const correct1 = 1 - beta1Power;
          const correct2 = 1 - beta2Power;
          weights.forEach((w, i) => {
            const g = gradients[i];
            const m = first[i];
            const v = second[i];
            for (let j = 0; j < w.length; j++) {
              m[j] = beta1 * m[j] + (1 - beta1) * g[j];
              v[j] = beta2 * v[j] + (1 - beta2) * g[j] * g[j];
              w[j] -= (learningRate * (m[j] / correct1)) / (Math.sqrt(v[j] / correct2) + epsilon);
            }
          });
          beta1Power *= beta1;
          beta2Power *= beta2;
        },
      };
    }
  }
}
