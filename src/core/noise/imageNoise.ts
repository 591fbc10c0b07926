import type { Noise } from '../config/experimentConfig.generated';
import { withImagePixels, type RealImage } from '../data/realImage';
import { SeededRandom } from '../random/seededRandom';
import { applyNoiseStep, quantizeTo8Bits } from './applyNoise';

/**
 * The noisy version of one whole image for validation or test. Each image has streams of its own, seeded by
 * noise.seed, the split and the image's name (its path in the folder), so an image gets the same noise on
 * every machine, whatever other images the folder holds and in whatever order they are read. 'valTarget' is
 * a second, independent noisy copy of a validation image (Noise2Noise's validation target).
 */
export function noisyImage(image: RealImage, noise: Noise, split: 'train' | 'val' | 'test' | 'valTarget'): RealImage {
  const pixels = image.pixels.slice();
  const shape = { height: image.height, width: image.width };
  noise.steps.forEach((step, stepIndex) => {
    const rng = SeededRandom.derive(noise.seed, `${split}/${image.name}/${stepIndex}`);
    applyNoiseStep(pixels, shape, step, rng, noise.clip, false);
  });
  if (noise.quantize) quantizeTo8Bits(pixels);
  return withImagePixels(image, pixels);
}

/**
 * Adds training noise to one patch in place, drawing from the epoch's stream `rng` (blind steps draw the
 * patch's own σ from it first). Patches are made in a fixed order, so an epoch's noise is reproducible.
 */
export function addPatchNoise(pixels: Float32Array, side: number, noise: Noise, rng: SeededRandom): void {
  const shape = { height: side, width: side };
  for (const step of noise.steps) applyNoiseStep(pixels, shape, step, rng, noise.clip, true);
  if (noise.quantize) quantizeTo8Bits(pixels);
}
