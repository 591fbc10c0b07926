import type { ExperimentConfig } from '../config/experimentConfig.generated';
import { firstImages, type ImageSet } from '../data/imageSet';
import { predictImages } from '../evaluation/predictImages';
import { imageMetrics } from '../metrics/imageMetrics';
import type { Denoiser } from '../models/denoiser';
import type { SplitResult } from '../runs/runSummary';
import type { NoisyData } from './trainingPairs';

function evaluateSplit(denoiser: Denoiser, clean: ImageSet, noisy: ImageSet, withClean: boolean, max: number): SplitResult {
  const c = firstImages(clean, max);
  const n = firstImages(noisy, max);
  return {
    denoised: imageMetrics(c, predictImages(denoiser, n)),
    noisyInput: imageMetrics(c, n),
    ...(withClean ? { cleanReconstruction: imageMetrics(c, predictImages(denoiser, c)) } : {}),
  };
}

/**
 * MSE, PSNR and SSIM of the denoised images on every split, next to the same figures for the noisy
 * input itself: the baseline any denoiser has to beat.
 */
export function evaluateAllSplits(denoiser: Denoiser, data: NoisyData, config: ExperimentConfig) {
  const max = config.evaluation.maxImages;
  const withClean = config.training.input === 'clean';
  return {
    train: evaluateSplit(denoiser, data.clean.train, data.noisyTrain(), withClean, max),
    val: evaluateSplit(denoiser, data.clean.val, data.noisy.val, withClean, max),
    test: evaluateSplit(denoiser, data.clean.test, data.noisy.test, withClean, max),
  };
}
