import type { Noise } from '../config/experimentConfig.generated';
import { withPixels, type ImageSet } from '../data/imageSet';
import { applyNoise, applyNoiseStep, noiseStream } from './applyNoise';
import { describeNoiseStep, summarizeNoiseSteps } from './describeNoise';

export interface NoisePreviewEntry {
  /** Short name, also used in file names: "clean", the step's type, or "combined". */
  readonly label: string;
  /** The values behind it, e.g. "mean 0, variance 0.01". */
  readonly detail: string;
  readonly images: ImageSet;
}

/** The split whose noise the preview shows, so "combined" is exactly what the test set gets. */
const PREVIEW_STREAM = 'test';

/**
 * What each part of the noise does to the images: the clean images, each step applied alone to them, and
 * all steps combined. A step alone uses the same random stream as in the combined noise, so it shows the
 * same draws (the same salt-and-pepper pixels, the same Gaussian values) that the step adds there.
 */
export function noisePreview(images: ImageSet, noise: Noise): NoisePreviewEntry[] {
  const alone = noise.steps.map((step, stepIndex) => {
    const pixels = images.pixels.slice();
    applyNoiseStep(pixels, images, step, noiseStream(noise.seed, PREVIEW_STREAM, 0, stepIndex));
    return { label: step.type, detail: describeNoiseStep(step), images: withPixels(images, pixels) };
  });
  return [
    { label: 'clean', detail: 'no noise', images },
    ...alone,
    // The steps only: the test noise is fixed even when training noise is fresh each epoch.
    { label: 'combined', detail: summarizeNoiseSteps(noise.steps), images: applyNoise(images, noise, PREVIEW_STREAM) },
  ];
}
