import type { ExperimentConfig } from '../config/experimentConfig.generated';
import { withImagePixels, type RealImage } from '../data/realImage';
import { noisyImage } from '../noise/imageNoise';
import { SeededRandom } from '../random/seededRandom';
import { maskBlindSpots } from '../training/blindSpotMask';

/** One whole validation image as training.target scores it: what the model is fed and what it should give. */
export interface ValidationPair {
  readonly input: RealImage;
  readonly target: Float32Array;
  /** Noise2Void: the loss counts the masked pixels only (1 there, 0 elsewhere). */
  readonly weights?: Float32Array;
}

/**
 * The validation loss's pairs, made once: for noise2noise the target is a second noisy copy of the image
 * (stream 'valTarget'), for noise2void the input is the noisy image masked as in training (a fixed mask per
 * image name) and the target its unmasked noisy values. Neither reads the clean image, so the validation
 * loss is what a user without clean images could measure.
 */
export function validationPairs(
  config: ExperimentConfig,
  clean: readonly RealImage[],
  noisy: readonly RealImage[],
): ValidationPair[] {
  const { input, target, seed, maskFraction } = config.training;
  return clean.map((im, i) => {
    const fed = input === 'clean' ? im : noisy[i];
    switch (target) {
      case 'clean':
        return { input: fed, target: im.pixels };
      case 'noisy':
        return { input: fed, target: noisy[i].pixels };
      case 'noise2noise':
        return { input: fed, target: noisyImage(im, config.noise, 'valTarget').pixels };
      case 'noise2void': {
        const masked = new Float32Array(fed.pixels.length);
        const weights = new Float32Array(fed.pixels.length);
        const rng = SeededRandom.derive(seed, `val-blind-spots/${im.name}`);
        maskBlindSpots(fed.pixels, masked, weights, fed, maskFraction, rng);
        return { input: withImagePixels(fed, masked), target: fed.pixels, weights };
      }
    }
  });
}
