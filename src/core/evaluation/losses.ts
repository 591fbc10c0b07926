import * as tf from '@tensorflow/tfjs';
import type { Training } from '../config/experimentConfig.generated';

/**
 * Per-pixel mean reconstruction loss, the quantity the seed report calls "MSE loss". With `weights` (the
 * shape of target) it is the weighted mean, sum(w * loss) / sum(w): Noise2Void counts its masked pixels only.
 */
export function reconstructionLoss(
  kind: Training['loss'],
  target: tf.Tensor,
  output: tf.Tensor,
  weights?: tf.Tensor,
): tf.Scalar {
  return tf.tidy(() => {
    const mean = (terms: tf.Tensor) =>
      (weights
        ? tf.div(tf.sum(tf.mul(terms, weights)), tf.maximum(tf.sum(weights), 1e-12))
        : tf.mean(terms)) as tf.Scalar;
    switch (kind) {
      case 'mse':
        return mean(tf.squaredDifference(target, output));
      case 'mae':
        return mean(tf.abs(tf.sub(target, output)));
      case 'bce': {
        // Clip so log(0) cannot appear when a sigmoid saturates.
        const p = tf.clipByValue(output, 1e-7, 1 - 1e-7);
        const terms = tf.add(tf.mul(target, tf.log(p)), tf.mul(tf.sub(1, target), tf.log(tf.sub(1, p))));
        return tf.neg(mean(terms)) as tf.Scalar;
      }
    }
  });
}
