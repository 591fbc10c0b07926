import { withPixels, type ImageSet } from '../data/imageSet';
import { clipPixels } from './clipPixels';
import { gaussianBlur } from './gaussianBlur';
import { medianFilter3x3 } from './medianFilter';
import { nonLocalMeans } from './nonLocalMeans';
import { notchFilter } from './notchFilter';

/** The classical filters a learned denoiser is compared with, by their config names. */
export const BASELINES = {
  median: { label: 'median filter 3x3', apply: medianFilter3x3 },
  gaussian: { label: 'Gaussian blur (sigma 1)', apply: (set: ImageSet) => gaussianBlur(set, 1) },
  notch: { label: 'FFT notch filter', apply: (set: ImageSet) => notchFilter(set) },
  nlm: { label: 'non-local means (3x3 patches, 7x7 search)', apply: (set: ImageSet) => nonLocalMeans(set) },
} as const;

export type BaselineName = keyof typeof BASELINES;

/** The noisy images after one classical filter, pixels clipped to [0,1] like every model output. */
export function applyBaseline(name: BaselineName, noisy: ImageSet): ImageSet {
  const baseline = BASELINES[name];
  if (!baseline) throw new RangeError(`unknown baseline '${name}': use one of ${Object.keys(BASELINES).join(', ')}`);
  return withPixels(noisy, clipPixels(baseline.apply(noisy)));
}
