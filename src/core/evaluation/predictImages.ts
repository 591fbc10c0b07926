import * as tf from '@tensorflow/tfjs';
import { pixelsPerImage, type ImageSet } from '../data/imageSet';
import type { Denoiser } from '../models/denoiser';
import type { Training } from '../config/experimentConfig.generated';
import { reconstructionLoss } from './losses';

const EVAL_BATCH = 500;

/** The model's deterministic output for every image, computed in batches so memory stays flat. */
export function predictImages(denoiser: Denoiser, images: ImageSet): ImageSet {
  return predictWithLoss(denoiser, images).predictions;
}

/**
 * Predicts every image and, when targets are given, the mean loss against them in the same pass
 * (validation needs both; computing the loss on the tensors avoids a second pass in JavaScript).
 */
export function predictWithLoss(
  denoiser: Denoiser,
  inputs: ImageSet,
  targets?: ImageSet,
  lossKind: Training['loss'] = 'mse',
): { predictions: ImageSet; loss: number } {
  const size = pixelsPerImage(inputs);
  const out = new Float32Array(inputs.count * size);
  let lossSum = 0;
  for (let start = 0; start < inputs.count; start += EVAL_BATCH) {
    const n = Math.min(EVAL_BATCH, inputs.count - start);
    const range = [start * size, (start + n) * size] as const;
    const batchLoss = tf.tidy(() => {
      const x = tf.tensor2d(inputs.pixels.subarray(...range), [n, size]);
      const y = denoiser.predict(x);
      out.set(y.dataSync() as Float32Array, start * size);
      if (!targets) return 0;
      const t = tf.tensor2d(targets.pixels.subarray(...range), [n, size]);
      return reconstructionLoss(lossKind, t, y).dataSync()[0] * n;
    });
    lossSum += batchLoss;
  }
  return {
    predictions: { ...inputs, pixels: out },
    loss: inputs.count ? lossSum / inputs.count : NaN,
  };
}
