import * as tf from '@tensorflow/tfjs';
import type { ExperimentConfig } from '../config/experimentConfig.generated';
import type { ImageSet } from '../data/imageSet';
import { predictImages } from '../evaluation/predictImages';
import type { Denoiser } from '../models/denoiser';
import { SeededRandom } from '../random/seededRandom';
import type { SampleImages } from '../training/events';
import { fromBytes } from './sampleImages';

/**
 * The seed report's generation experiment: the model's output for a blank image and for uniform random
 * images. Returns inputs and outputs image for image (the blank one first).
 */
export function generateFromBlankAndRandom(
  denoiser: Denoiser,
  config: ExperimentConfig,
): { inputs: ImageSet; outputs: ImageSet } {
  const { height, width } = denoiser;
  const size = height * width;
  const { blankValue, randomInputs } = config.evaluation.generation;
  const count = 1 + randomInputs;
  const pixels = new Float32Array(count * size);
  pixels.fill(blankValue, 0, size);
  const rng = SeededRandom.derive(config.training.seed, 'generation');
  for (let i = size; i < pixels.length; i++) pixels[i] = rng.next();
  const inputs: ImageSet = { pixels, count, height, width };
  return { inputs, outputs: predictImages(denoiser, inputs) };
}

/** A variational autoencoder's samples from random latent vectors (undefined for other models). */
export function sampleFromLatent(denoiser: Denoiser, count: number, seed: number): ImageSet | undefined {
  if (!denoiser.sampleImages || count === 0) return undefined;
  const images = denoiser.sampleImages(count, seed);
  const pixels = images.dataSync() as Float32Array;
  images.dispose();
  return { pixels: Float32Array.from(pixels), count, height: denoiser.height, width: denoiser.width };
}

/**
 * A variational autoencoder's walk between two digits: `steps` images decoded along the straight line
 * between the latent means of the first two sample images (undefined for other models or fewer images).
 */
export function interpolateLatent(denoiser: Denoiser, samples: SampleImages, steps: number): ImageSet | undefined {
  if (!denoiser.interpolate || !samples.clean || samples.count < 2 || steps < 2) return undefined;
  const size = samples.height * samples.width;
  const clean = fromBytes(samples.clean);
  const walk = tf.tidy(() => {
    const a = tf.tensor2d(clean.subarray(0, size), [1, size]);
    const b = tf.tensor2d(clean.subarray(size, 2 * size), [1, size]);
    return denoiser.interpolate!(a, b, steps);
  });
  const pixels = Float32Array.from(walk.dataSync() as Float32Array);
  walk.dispose();
  return { pixels, count: steps, height: samples.height, width: samples.width };
}
