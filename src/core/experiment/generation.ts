import type { ExperimentConfig } from '../config/experimentConfig.generated';
import type { ImageSet } from '../data/imageSet';
import { predictImages } from '../evaluation/predictImages';
import type { Denoiser } from '../models/denoiser';
import { SeededRandom } from '../random/seededRandom';

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
