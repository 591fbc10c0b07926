import * as tf from '@tensorflow/tfjs';
import type { Training } from '../config/experimentConfig.generated';

/** Per-pixel mean reconstruction loss, the quantity the seed report calls "MSE loss". */
export function reconstructionLoss(kind: Training['loss'], target: tf.Tensor, output: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    switch (kind) {
      case 'mse':
        return tf.mean(tf.squaredDifference(target, output)) as tf.Scalar;
      case 'mae':
        return tf.mean(tf.abs(tf.sub(target, output))) as tf.Scalar;
      case 'bce': {
        // Clip so log(0) cannot appear when a sigmoid saturates.
        const p = tf.clipByValue(output, 1e-7, 1 - 1e-7);
        const terms = tf.add(tf.mul(target, tf.log(p)), tf.mul(tf.sub(1, target), tf.log(tf.sub(1, p))));
        return tf.neg(tf.mean(terms)) as tf.Scalar;
      }
    }
  });
}
