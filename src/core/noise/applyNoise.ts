import type { Noise, NoiseStep } from '../config/experimentConfig.generated';
import { withPixels, type ImageSet } from '../data/imageSet';
import { SeededRandom } from '../random/seededRandom';
import { clipToUnitRange } from './clip';
import { addGaussianNoise } from './gaussianNoise';
import { addPeriodicNoise } from './periodicNoise';
import { addPoissonNoise } from './poissonNoise';
import { addSaltPepperNoise } from './saltPepperNoise';
import { addSpeckleNoise } from './speckleNoise';
import { addGaussian255Noise, drawSigma255 } from './gaussian255Noise';
import { addPoissonGaussianNoise } from './poissonGaussianNoise';

/**
 * The random stream of one step. Each (split, epoch, step) gets its own stream, so the train, val and test
 * noise are independent, a fresh epoch gets new noise, and adding a step leaves the earlier steps' noise as
 * it was. The label is part of the stored results' reproducibility: changing it changes every noisy image.
 */
export function noiseStream(seed: number, streamLabel: string, epoch: number, stepIndex: number): SeededRandom {
  return SeededRandom.derive(seed, `${streamLabel}/${epoch}/${stepIndex}`);
}

/**
 * Applies one step in place to a buffer of whole images of the given shape, then clips to [0,1] unless
 * `clip` is false (noise.clip; the DnCNN protocol keeps values beyond black and white). The steps themselves
 * leave values out of range: one clipping pass is cheaper than a clamp in each step's loop. `training` says
 * the pixels are training data, where a blind gaussian255 step draws its own σ.
 */
export function applyNoiseStep(
  pixels: Float32Array,
  shape: Pick<ImageSet, 'height' | 'width'>,
  step: NoiseStep,
  rng: SeededRandom,
  clip = true,
  training = false,
): void {
  switch (step.type) {
    case 'gaussian':
      addGaussianNoise(pixels, step, rng);
      break;
    case 'saltPepper':
      addSaltPepperNoise(pixels, step, rng);
      break;
    case 'periodic':
      addPeriodicNoise(pixels, shape, step);
      break;
    case 'speckle':
      addSpeckleNoise(pixels, step, rng);
      break;
    case 'poisson':
      addPoissonNoise(pixels, step, rng);
      break;
    case 'gaussian255':
      addGaussian255Noise(pixels, drawSigma255(step, rng, training), rng);
      break;
    case 'poissonGaussian':
      addPoissonGaussianNoise(pixels, step, rng);
      break;
  }
  if (clip) clipToUnitRange(pixels);
}

/** Rounds to 8 bits in place (k/255, ties away from zero), as saving the noisy image as a PNG would. */
export function quantizeTo8Bits(pixels: Float32Array): void {
  for (let i = 0; i < pixels.length; i++) pixels[i] = Math.round(pixels[i] * 255) / 255;
}

/**
 * A noisy copy of the images: every step in order, each on the previous one's output and clipped to [0,1].
 * The input is never modified and the result never shares its pixels, even with no steps. The same
 * noise.seed, streamLabel ('train', 'val', 'test', ...) and epoch give bit-identical pixels on every machine.
 */
export function applyNoise(images: ImageSet, noise: Noise, streamLabel: string, epoch = 0): ImageSet {
  // slice(), not new Float32Array(pixels): V8 copies a typed array that way several times faster.
  const pixels = images.pixels.slice();
  const training = streamLabel === 'train';
  noise.steps.forEach((step, stepIndex) => {
    applyNoiseStep(pixels, images, step, noiseStream(noise.seed, streamLabel, epoch, stepIndex), noise.clip, training);
  });
  if (noise.quantize) quantizeTo8Bits(pixels);
  return withPixels(images, pixels);
}
